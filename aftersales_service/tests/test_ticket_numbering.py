from freezegun import freeze_time

from odoo.tests import tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestTicketNumbering(AftersalesCommon):
    def setUp(self):
        super().setUp()
        # Start from untouched counters: tickets already in the database (demo data)
        # may have used the months these tests freeze time in.
        Ticket = self.env["aftersales.ticket"]
        for company in (self.company, self.company_2):
            Ticket._get_ticket_sequence(company).date_range_ids.unlink()

    def test_number_is_prefix_year_month_serial(self):
        with freeze_time("2026-11-05 10:00:00"):
            first = self._new_ticket()
            second = self._new_ticket()
        self.assertEqual(first.name, "AS2026110001")
        self.assertEqual(second.name, "AS2026110002")

    def test_number_restarts_every_month(self):
        with freeze_time("2026-11-30 09:00:00"):
            self._new_ticket()
            november = self._new_ticket()
        with freeze_time("2026-12-01 09:00:00"):
            december = self._new_ticket()
        with freeze_time("2027-01-02 09:00:00"):
            january = self._new_ticket()
        self.assertEqual(november.name, "AS2026110002")
        self.assertEqual(december.name, "AS2026120001")
        self.assertEqual(january.name, "AS2027010001")

    def test_number_follows_received_date(self):
        # A request received last month and registered today keeps last month's series.
        with freeze_time("2026-12-01 09:00:00"):
            late = self._new_ticket(date_received="2026-11-28 15:00:00")
        self.assertEqual(late.name, "AS2026110001")

    def test_numbering_is_per_company(self):
        with freeze_time("2026-11-05 10:00:00"):
            own = self._new_ticket()
            other = self.env["aftersales.ticket"].create(
                {
                    "subject": "Other company",
                    "company_id": self.company_2.id,
                    "team_id": self.team_company_2.id,
                }
            )
            own_next = self._new_ticket()
        self.assertEqual(own.name, "AS2026110001")
        self.assertEqual(other.name, "AS2026110001")
        self.assertEqual(own_next.name, "AS2026110002")
        sequences = self.env["ir.sequence"].search([("code", "=", "aftersales.ticket")])
        self.assertIn(self.company_2, sequences.company_id)

    def test_yearly_restart_setting(self):
        self.company.aftersales_number_reset = "yearly"
        with freeze_time("2026-11-30 09:00:00"):
            self._new_ticket()
        with freeze_time("2026-12-01 09:00:00"):
            december = self._new_ticket()
        self.assertEqual(december.name, "AS2026120002")

    def test_new_company_gets_its_sequence(self):
        company = self.env["res.company"].create({"name": "Third Service Co."})
        sequence = self.env["ir.sequence"].search(
            [("code", "=", "aftersales.ticket"), ("company_id", "=", company.id)]
        )
        self.assertEqual(len(sequence), 1)
        self.assertEqual(sequence.prefix, "AS%(year)s%(month)s")
        self.assertEqual(sequence.padding, 4)
