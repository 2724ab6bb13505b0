from datetime import datetime, timedelta

from odoo.tests import tagged

from .field_service_common import FieldServiceCommon


@tagged("post_install", "-at_install")
class TestFieldServiceQueries(FieldServiceCommon):
    """Counters, overlaps and delivered quantities cost the same number of
    queries for one record as for many."""

    def _queries(self, func):
        # Records are read as a list view reads them: fresh, in one batch.
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        return self.env.cr.sql_log_count - before

    def _tickets_with_visits(self, count, day=1):
        tickets = self.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"Job {i}",
                    "team_id": self.team.id,
                    "partner_id": self.customer.id,
                }
                for i in range(count)
            ]
        )
        start = datetime(2026, 12, day, 1, 0)
        self.env["aftersales.visit"].create(
            [
                {
                    "ticket_id": ticket.id,
                    "user_id": self.technician.id,
                    "planned_start": start + timedelta(hours=i),
                    "planned_end": start + timedelta(hours=i, minutes=90),
                }
                for i, ticket in enumerate(tickets)
            ]
        )
        self.env.flush_all()
        return tickets

    def test_ticket_counters_do_not_grow_with_tickets(self):
        fields = [
            "visit_count",
            "repair_count",
            "quotation_count",
            "part_request_count",
        ]
        one = self._tickets_with_visits(1)
        many = self._tickets_with_visits(20)
        self._queries(lambda: one.read(fields))  # warm the selection labels
        cost_one = self._queries(lambda: one.read(fields))
        cost_many = self._queries(lambda: many.read(fields))
        self.assertEqual(cost_many, cost_one)

    def test_overlap_flags_do_not_grow_with_visits(self):
        Visit = self.env["aftersales.visit"]
        few = Visit.browse(self._tickets_with_visits(2).visit_ids.ids)
        many = Visit.browse(self._tickets_with_visits(20, day=10).visit_ids.ids)
        self._queries(lambda: few.mapped("has_overlap"))  # warm up
        cost_few = self._queries(lambda: few.mapped("has_overlap"))
        cost_many = self._queries(lambda: many.mapped("has_overlap"))
        self.assertEqual(cost_many, cost_few)
        self.assertTrue(all(many.mapped("has_overlap")), "each visit overlaps the next")
        self.assertTrue(all(few.mapped("has_overlap")))
