from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install")
class TestRepeatFailure(FeedbackCommon):
    def _serial_ticket(self, lot=None):
        partner = self.other_customer if lot == self.serial_2 else self.customer
        return self._new_ticket(
            partner_id=partner.id,
            product_id=self.serial_product.id,
            lot_id=(lot or self.serial_1).id,
        )

    def test_new_ticket_within_window_flags_both(self):
        with freeze_time("2026-11-01 10:00:00"):
            first = self._close(self._serial_ticket())
        with freeze_time("2026-11-30 10:00:00"):
            again = self._serial_ticket()
            other_serial = self._serial_ticket(self.serial_2)
        self.assertTrue(again.is_repeat_failure)
        self.assertEqual(again.repeat_of_id, first)
        self.assertTrue(first.has_repeat)
        self.assertFalse(other_serial.is_repeat_failure)

    def test_outside_window_or_open_ticket_is_not_a_repeat(self):
        with freeze_time("2026-11-01 10:00:00"):
            first = self._close(self._serial_ticket())
            still_open = self._serial_ticket(self.serial_2)
        with freeze_time("2026-12-01 10:00:01"):
            late = self._serial_ticket()
            second_on_open = self._serial_ticket(self.serial_2)
        self.assertFalse(late.is_repeat_failure)
        self.assertFalse(first.has_repeat)
        self.assertFalse(second_on_open.is_repeat_failure)
        self.assertFalse(still_open.has_repeat)

    def test_window_is_the_company_setting(self):
        self.company.aftersales_repeat_days = 60
        with freeze_time("2026-11-01 10:00:00"):
            first = self._close(self._serial_ticket())
        with freeze_time("2026-12-20 10:00:00"):
            again = self._serial_ticket()
        self.assertEqual(again.repeat_of_id, first)


@tagged("post_install", "-at_install")
class TestCapa(FeedbackCommon):
    def _toner_ticket(self):
        return self._new_ticket(
            partner_id=self.customer.id, product_id=self.plain_product.id
        )

    def _capas(self):
        return self.env["aftersales.capa"].search(
            [("product_id", "=", self.plain_product.id)]
        )

    def test_threshold_opens_one_capa(self):
        with freeze_time("2026-11-01 10:00:00"):
            self._toner_ticket()
        with freeze_time("2026-11-15 10:00:00"):
            self._toner_ticket()
        self.assertFalse(self._capas())
        with freeze_time("2026-11-30 10:00:00"):
            third = self._toner_ticket()
            self._toner_ticket()
        capa = self._capas()
        self.assertEqual(len(capa), 1)
        self.assertRecordValues(
            capa,
            [
                {
                    "source": "repeat",
                    "ticket_id": third.id,
                    "failure_count": 3,
                    "state": "draft",
                }
            ],
        )
        self.assertTrue(capa.name.startswith("CAPA"))

    def test_failures_outside_window_do_not_count(self):
        with freeze_time("2026-10-01 10:00:00"):
            self._toner_ticket()
        with freeze_time("2026-11-01 10:00:00"):
            self._toner_ticket()
            self._toner_ticket()
        self.assertFalse(self._capas())
        self.company.aftersales_capa_failure_count = 2
        with freeze_time("2026-11-02 10:00:00"):
            self._toner_ticket()
        self.assertEqual(len(self._capas()), 1)

    def test_capa_by_hand_and_its_states(self):
        ticket = self._toner_ticket()
        action = ticket.with_user(self.agent).action_new_capa()
        form = Form(
            self.env["aftersales.capa"]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        self.assertEqual(form.problem, "Paper jam")
        form.supplier_id = self.other_customer
        capa = form.save()
        self.assertEqual(capa.source, "ticket")
        self.assertEqual(ticket.capa_count, 1)
        with self.assertRaises(UserError):
            capa.action_open()
        capa.write({"user_id": self.agent.id, "date_due": "2026-12-31"})
        capa.action_open()
        capa.write({"why_1": "Cartridge leaks", "root_cause": "Seal too thin"})
        with self.assertRaises(UserError):
            capa.action_to_verify()
        self.assertEqual(capa.state, "open")
        capa.write(
            {
                "containment": "Quarantine lot",
                "corrective_action": "Replace seals",
                "preventive_action": "Incoming inspection of seals",
            }
        )
        capa.action_to_verify()
        with self.assertRaises(UserError):
            capa.action_done()
        capa.write({"effectiveness_check": "No leak in 3 months", "is_effective": True})
        capa.action_done()
        self.assertEqual(capa.state, "done")

    def test_technician_reads_but_cannot_write_capa(self):
        capa = self.env["aftersales.capa"].create(
            {"problem": "Leaks", "product_id": self.plain_product.id}
        )
        capa.with_user(self.technician).read(["problem"])
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            capa.with_user(self.technician).write({"problem": "x"})
