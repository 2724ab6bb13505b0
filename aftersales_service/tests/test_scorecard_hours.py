from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .field_service_common import FieldServiceCommon


@tagged("post_install", "-at_install")
class TestScorecardHours(FieldServiceCommon):
    def _done_visit(self, ticket, hours):
        visit = self._visit(ticket)
        visit.action_arrive()
        visit.date_departure = visit.date_arrival + timedelta(hours=hours)
        self._sign(visit)
        visit.action_complete()
        self.assertEqual(visit.state, "done")
        return visit

    def test_hours_per_service_category(self):
        # Paid work without waiting for a quotation, to keep the set small.
        self.company.aftersales_quote_acceptance_required = False
        with freeze_time("2026-11-10 08:00:00"):
            self._done_visit(self._warranty_ticket(), 2.0)
            self._done_visit(self._paid_ticket(), 1.5)
        with freeze_time("2026-12-02 08:00:00"):
            self._done_visit(self._warranty_ticket(), 4.0)  # next month
        card = self.env["aftersales.technician.evaluation"]._generate(
            date(2026, 11, 1), self.company, self.technician
        )
        self.assertEqual(
            {line.service_category: line.hours for line in card.hours_ids},
            {"warranty": 2.0, "paid": 1.5},
        )
