from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .field_service_common import SIGNATURE, FieldServiceCommon


@tagged("post_install", "-at_install")
class TestVisit(FieldServiceCommon):
    def test_visit_flow_stamps_onsite_and_issues_parts_from_the_van(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        with freeze_time("2026-11-23 02:00:00"):
            form = Form(self.env["aftersales.visit"].with_user(self.technician))
            form.ticket_id = ticket
            form.planned_start = datetime(2026, 11, 23, 2, 0)
            visit = form.save()
        self.assertTrue(visit.name.startswith("SV"))
        self.assertEqual(visit.planned_end, datetime(2026, 11, 23, 4, 0))
        self.assertEqual(visit.technician_ids, self.technician)
        self.assertEqual(visit.service_category, "warranty")
        with freeze_time("2026-11-23 03:00:00"):
            visit.action_arrive()
        self.assertEqual(visit.state, "on_site")
        self.assertEqual(ticket.date_onsite, datetime(2026, 11, 23, 3, 0))
        self.assertEqual(ticket.stage_kind, "in_progress")

        with Form(visit) as form:
            with form.part_ids.new() as part:
                part.product_id = self.fuser
                part.quantity = 2
                part.old_part_returned = True
            form.date_departure = datetime(2026, 11, 23, 4, 30)
            form.travel_distance = 35
            form.work_done = "Replaced the fuser unit"
        part = visit.part_ids
        self.assertEqual(part.location_id, self.van, "parts come from the lead's van")
        self.assertTrue(part.under_warranty)
        self.assertEqual(visit.duration_hours, 1.5)
        self.assertEqual(visit.labour_hours, 1.5)
        self._sign(visit)
        visit.action_complete()

        self.assertEqual(visit.state, "done")
        self.assertEqual(part.move_id.state, "done")
        self.assertEqual(part.move_id.location_id, self.van)
        self.assertEqual(part.move_id.location_dest_id.usage, "customer")
        self.assertEqual(visit.picking_ids.partner_id, ticket.partner_id)
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(self.fuser, self.van), 3
        )
        with self.assertRaises(UserError):
            visit.travel_distance = 50
        with self.assertRaises(UserError):
            part.quantity = 1

    def test_signature_is_required_to_complete(self):
        ticket = self._warranty_ticket()
        visit = self._visit(ticket)
        visit.action_arrive()
        visit.date_departure = visit.date_arrival + timedelta(hours=1)
        with self.assertRaises(UserError):
            visit.action_complete()
        self.assertEqual(visit.state, "on_site")
        visit.signature = SIGNATURE
        with self.assertRaises(UserError, msg="the signer's name is needed too"):
            visit.action_complete()
        visit.signed_by = "Li Lei"
        visit.action_complete()
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.signed_on)

    def test_signature_rule_follows_the_setting(self):
        self.company.aftersales_visit_signature_required = False
        visit = self._visit(self._warranty_ticket())
        visit.action_arrive()
        visit.date_departure = visit.date_arrival + timedelta(hours=1)
        visit.action_complete()
        self.assertEqual(visit.state, "done")

    def test_old_part_required_for_warranty_parts(self):
        visit = self._visit(self._warranty_ticket())
        visit.write(
            {"part_ids": [(0, 0, {"product_id": self.fuser.id, "quantity": 1})]}
        )
        self._sign(visit)
        visit.action_arrive()
        with self.assertRaises(UserError):
            visit.action_complete()
        self.assertFalse(visit.part_ids.move_id, "no part issued")
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(self.fuser, self.van), 5
        )

    def test_bad_times_and_hours_are_refused(self):
        visit = self._visit(self._warranty_ticket())
        visit.action_arrive()
        arrival = visit.date_arrival
        with self.assertRaises(ValidationError):
            visit.date_departure = arrival.replace(year=arrival.year - 1)
        with self.assertRaises(ValidationError):
            visit.labour_hours = -2
        with self.assertRaises(ValidationError):
            self._visit(
                visit.ticket_id,
                planned_start=datetime(2026, 11, 23, 10, 0),
                planned_end=datetime(2026, 11, 23, 9, 0),
            )
        with self.assertRaises(ValidationError):
            visit.travel_distance = -5

    def test_parts_from_another_technicians_van_are_refused(self):
        visit = self._visit(self._warranty_ticket())
        with self.assertRaises(ValidationError):
            visit.write(
                {
                    "part_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.fuser.id,
                                "location_id": self.other_van.id,
                            },
                        )
                    ]
                }
            )
        self.assertFalse(visit.part_ids)
        # Once the other technician joins the visit, their van is allowed.
        visit.technician_ids |= self.other_technician
        visit.write(
            {
                "part_ids": [
                    (
                        0,
                        0,
                        {"product_id": self.fuser.id, "location_id": self.other_van.id},
                    )
                ]
            }
        )
        self.assertEqual(visit.part_ids.location_id, self.other_van)

    def test_missing_stock_is_refused_and_moves_nothing(self):
        visit = self._visit(self._warranty_ticket())
        visit.write(
            {
                "part_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.fuser.id,
                            "quantity": 9,
                            "old_part_returned": True,
                        },
                    )
                ]
            }
        )
        self._sign(visit)
        visit.action_arrive()
        with self.assertRaises(UserError):
            visit.action_complete()
        self.assertFalse(visit.picking_ids)

    def test_overlapping_visits_of_one_technician_are_flagged(self):
        ticket = self._warranty_ticket()
        first = self._visit(
            ticket,
            planned_start=datetime(2026, 11, 24, 1, 0),
            planned_end=datetime(2026, 11, 24, 3, 0),
        )
        second = self._visit(
            ticket,
            planned_start=datetime(2026, 11, 24, 2, 0),
            planned_end=datetime(2026, 11, 24, 4, 0),
        )
        later = self._visit(
            ticket,
            planned_start=datetime(2026, 11, 24, 3, 0),
            planned_end=datetime(2026, 11, 24, 5, 0),
        )
        other = self._visit(
            ticket,
            user=self.other_technician,
            planned_start=datetime(2026, 11, 24, 1, 0),
            planned_end=datetime(2026, 11, 24, 3, 0),
        )
        (first | second | later | other).invalidate_recordset(["has_overlap"])
        self.assertTrue(first.has_overlap)
        self.assertTrue(second.has_overlap)
        self.assertIn(first.name, second.overlap_warning)
        self.assertTrue(later.has_overlap, "overlaps the second visit")
        self.assertFalse(other.has_overlap, "another technician's visit")
        Visit = self.env["aftersales.visit"]
        flagged = Visit.search(
            [("has_overlap", "=", True), ("ticket_id", "=", ticket.id)]
        )
        self.assertEqual(flagged, first | second | later)
        second.action_cancel()
        (first | later).invalidate_recordset(["has_overlap"])
        self.assertFalse(first.has_overlap)
        self.assertFalse(later.has_overlap)

    def test_visits_per_role_and_company(self):
        ticket = self._warranty_ticket()
        visit = self._visit(ticket)
        # Another team's technician does not see the visit.
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "as_outsider",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref(
                                "aftersales_service.group_aftersales_technician"
                            ).id
                        ],
                    )
                ],
            }
        )
        self.assertFalse(
            self.env["aftersales.visit"]
            .with_user(outsider)
            .search([("id", "=", visit.id)])
        )
        with self.assertRaises(AccessError):
            visit.with_user(outsider).read(["name"])
        self.assertFalse(
            self.env["aftersales.visit"]
            .with_user(self.agent_company_2)
            .search([("id", "=", visit.id)])
        )
        self.assertTrue(
            self.env["aftersales.visit"]
            .with_user(self.agent)
            .search([("id", "=", visit.id)])
        )
        with self.assertRaises(AccessError):
            visit.with_user(self.technician).unlink()
