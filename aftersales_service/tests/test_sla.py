from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestSla(AftersalesCommon):
    """Deadlines in working hours of a Shanghai office: Mon-Fri 9-12 and 13-18."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Shanghai Office",
                "tz": "Asia/Shanghai",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for start, end, period in (
                        (9, 12, "morning"),
                        (13, 18, "afternoon"),
                    )
                ],
            }
        )
        cls.team.resource_calendar_id = cls.calendar
        Policy = cls.env["aftersales.sla.policy"]
        Policy.search([]).active = False
        cls.zone_city = cls.env["aftersales.sla.zone"].create({"name": "Test City"})
        cls.standard = Policy.create(
            {
                "name": "Test Standard",
                "sequence": 100,
                "response_hours": 2,
                "onsite_hours": 24,
                "resolution_hours": 48,
            }
        )
        cls.city = Policy.create(
            {
                "name": "Test City",
                "sequence": 10,
                "zone_ids": [Command.link(cls.zone_city.id)],
                "response_hours": 2,
                "onsite_hours": 6,
                "resolution_hours": 48,
            }
        )
        cls.critical = Policy.create(
            {
                "name": "Test Critical",
                "sequence": 5,
                "fault_level_ids": [
                    Command.link(cls.env.ref("aftersales_service.fault_level_1").id)
                ],
                "response_hours": 1,
                "resolution_hours": 24,
                "time_basis": "calendar",
            }
        )

    def _ticket(self, received, **values):
        return self._new_ticket(date_received=received, **values)

    def test_deadline_across_night_and_weekend(self):
        # Friday 2026-11-20 17:00 in Shanghai is 09:00 UTC: one hour left that day,
        # the second on Monday 09:00-10:00 (02:00 UTC).
        ticket = self._ticket("2026-11-20 09:00:00")
        self.assertEqual(ticket.sla_policy_id, self.standard)
        self.assertEqual(str(ticket.sla_response_deadline), "2026-11-23 02:00:00")
        # Tuesday 17:30 + 2 h: half an hour on Tuesday, 1.5 h on Wednesday -> 10:30.
        evening = self._ticket("2026-11-24 09:30:00")
        self.assertEqual(str(evening.sla_response_deadline), "2026-11-25 02:30:00")
        # 48 working hours are six 8-hour days.
        self.assertEqual(str(ticket.sla_resolution_deadline), "2026-11-30 09:00:00")

    def test_long_targets_beyond_the_planned_window(self):
        self.standard.resolution_hours = 1000  # 125 working days, beyond 60 days
        ticket = self._ticket("2026-11-20 09:00:00")
        self.assertEqual(
            ticket.sla_resolution_deadline,
            self.calendar.plan_hours(1000, ticket.date_received, compute_leaves=True),
        )

    def _deadline_cost(self, count):
        tickets = self.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"Batch {i}",
                    "team_id": self.team.id,
                    "date_received": f"2026-11-{i % 28 + 1:02d} 03:00:00",
                }
                for i in range(count)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        tickets = tickets.browse(tickets.ids)
        self.env.add_to_compute(tickets._fields["sla_response_deadline"], tickets)
        before = self.env.cr.sql_log_count
        tickets.flush_recordset()
        return self.env.cr.sql_log_count - before

    def test_deadline_cost_does_not_grow_with_tickets(self):
        """Working time is fetched once per calendar, not per ticket and target."""
        small, large = self._deadline_cost(10), self._deadline_cost(100)
        self.assertLessEqual(
            large, small, f"{small} queries for 10 tickets, {large} for 100"
        )

    def test_public_holiday_is_skipped(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": "2026-11-22 16:00:00",  # Monday 00:00 in Shanghai
                "date_to": "2026-11-23 16:00:00",
            }
        )
        ticket = self._ticket("2026-11-20 09:00:00")
        self.assertEqual(str(ticket.sla_response_deadline), "2026-11-24 02:00:00")

    def test_calendar_hours_basis_and_precedence(self):
        level_1 = self.env.ref("aftersales_service.fault_level_1")
        ticket = self._ticket("2026-11-20 09:00:00", fault_level_id=level_1.id)
        self.assertEqual(ticket.sla_policy_id, self.critical)
        self.assertEqual(str(ticket.sla_response_deadline), "2026-11-20 10:00:00")
        self.assertFalse(ticket.sla_onsite_deadline, "no on-site target")
        # The zone policy comes before the standard one; recomputed on change.
        self.customer.aftersales_zone_id = self.zone_city
        city_ticket = self._ticket("2026-11-20 09:00:00", partner_id=self.customer.id)
        self.assertEqual(city_ticket.sla_zone_id, self.zone_city)
        self.assertEqual(city_ticket.sla_policy_id, self.city)
        city_ticket.fault_level_id = level_1
        self.assertEqual(city_ticket.sla_policy_id, self.critical)
        city_ticket.fault_level_id = False
        self.city.sequence = 200
        city_ticket.invalidate_recordset()
        city_ticket._compute_sla_policy_id()
        self.assertEqual(city_ticket.sla_policy_id, self.standard)

    def test_pause_moves_the_deadlines_by_the_paused_working_time(self):
        ticket = self._ticket(
            "2026-11-23 01:00:00", user_id=self.technician.id
        )  # Mon 9:00
        # Six 8-hour days: next Monday 18:00 in Shanghai.
        self.assertEqual(str(ticket.sla_resolution_deadline), "2026-11-30 10:00:00")
        with freeze_time("2026-11-23 02:00:00"):  # Monday 10:00
            ticket.with_context(aftersales_pause_reason="Customer away").write(
                {"stage_id": self.stages["waiting_customer"].id}
            )
        self.assertEqual(ticket.sla_status, "paused")
        self.assertFalse(ticket.sla_escalation_date, "the clock stands still")
        pause = ticket.sla_pause_ids
        self.assertRecordValues(pause, [{"reason": "Customer away", "date_end": False}])
        with freeze_time("2026-11-24 02:00:00"):  # Tuesday 10:00: 8 working hours later
            ticket.stage_id = self.stages["in_progress"]
        self.assertEqual(pause.paused_hours, 8.0)
        self.assertEqual(ticket.sla_paused_hours, 8.0)
        self.assertEqual(str(ticket.sla_resolution_deadline), "2026-12-01 10:00:00")
        self.assertTrue(ticket.sla_deadline)

    def test_statuses_over_time(self):
        ticket = self._ticket("2026-11-23 01:00:00")  # Monday 9:00, respond by 11:00
        Ticket = self.env["aftersales.ticket"]
        with freeze_time("2026-11-23 01:30:00"):
            ticket.invalidate_recordset(["sla_response_status"])
            self.assertEqual(ticket.sla_response_status, "on_track")
        with freeze_time("2026-11-23 02:40:00"):  # 1 h 40 used of 2 h: past 80 %
            ticket.invalidate_recordset(["sla_response_status", "sla_status"])
            self.assertEqual(ticket.sla_response_status, "at_risk")
            self.assertIn(ticket, Ticket.search([("sla_status", "=", "at_risk")]))
        with freeze_time("2026-11-23 03:30:00"):
            ticket.invalidate_recordset(["sla_response_status", "sla_status"])
            self.assertEqual(ticket.sla_response_status, "breached")
            self.assertEqual(ticket.sla_status, "breached")
            self.assertIn(ticket, Ticket.search([("sla_status", "=", "breached")]))
            self.assertNotIn(ticket, Ticket.search([("sla_status", "=", "at_risk")]))
            ticket.user_id = self.technician  # assigned: the first response
        self.assertEqual(ticket.sla_response_status, "met_late")
        self.assertEqual(ticket.sla_response_result, "late")
        on_time = self._ticket("2026-11-23 01:00:00")
        with freeze_time("2026-11-23 01:30:00"):
            on_time.user_id = self.technician
        self.assertEqual(on_time.sla_response_result, "met")
        # The on-time rate is the average of 100 (met) and 0 (late).
        [[rate]] = self.env["aftersales.sla.report"]._read_group(
            [("ticket_id", "in", (ticket | on_time).ids), ("target", "=", "response")],
            [],
            ["on_time:avg"],
        )
        self.assertEqual(rate, 50.0)
        with freeze_time("2026-11-23 04:00:00"):
            on_time.date_onsite = "2026-11-23 03:50:00"
        self.assertEqual(on_time.sla_onsite_result, "met")

    def test_analysis_averages_only_measured_targets(self):
        met = self._ticket("2026-11-23 01:00:00")
        with freeze_time("2026-11-23 01:30:00"):
            self._resolve(met)
        unanswered = self._ticket("2026-11-23 01:00:00")
        self.assertEqual(met.sla_resolution_result, "met")
        self.assertFalse(unanswered.sla_resolution_result)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_ticket_action_sla_analysis"
        )
        self.assertEqual(action["res_model"], "aftersales.sla.report")
        rows = self.env["aftersales.sla.report"].search(
            [("ticket_id", "in", (met | unanswered).ids)]
        )
        # Open targets and targets that do not apply have no row: the open
        # ticket's cannot halve the rate.
        self.assertEqual(rows.ticket_id, met)
        self.assertEqual(set(rows.mapped("target")), {"response", "resolution"})
        [[rate]] = self.env["aftersales.sla.report"]._read_group(
            [("id", "in", rows.ids), ("target", "=", "resolution")], [], ["on_time:avg"]
        )
        self.assertEqual(rate, 100.0)

    def test_done_tickets_leave_the_watch_list(self):
        ticket = self._ticket("2026-11-23 01:00:00")
        self.assertTrue(ticket.sla_deadline)
        ticket.action_cancel()
        self.assertFalse(ticket.sla_deadline)

    def test_bad_policies_are_refused(self):
        Policy = self.env["aftersales.sla.policy"]
        count = Policy.with_context(active_test=False).search_count([])
        with self.assertRaises(ValidationError):
            Policy.create({"name": "Bad", "response_hours": -1})
        with self.assertRaises(ValidationError):
            Policy.create({"name": "Bad", "at_risk_percent": 120})
        empty = self.env["resource.calendar"].create(
            {"name": "Nobody works", "attendance_ids": [Command.clear()]}
        )
        with self.assertRaises(ValidationError) as caught:
            Policy.create({"name": "Bad", "resource_calendar_id": empty.id})
        self.assertIn("no working time", str(caught.exception))
        self.assertEqual(Policy.with_context(active_test=False).search_count([]), count)


@tagged("post_install", "-at_install")
class TestSlaEscalation(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["aftersales.sla.policy"]
        Policy.search([]).active = False
        cls.policy = Policy.create(
            {"name": "Two Hours", "response_hours": 2, "time_basis": "calendar"}
        )
        cls.general_manager = cls._make_user(
            "as_general_manager", "group_aftersales_user"
        )
        Ladder = cls.env["aftersales.sla.escalation"]
        Ladder.search([]).active = False
        cls.ladder = Ladder.create(
            [
                {
                    "name": "L1",
                    "sequence": 1,
                    "trigger": "at_risk",
                    "recipient": "responsible",
                },
                {
                    "name": "L2",
                    "sequence": 2,
                    "trigger": "breached",
                    "recipient": "team_leader",
                },
                {
                    "name": "L3",
                    "sequence": 3,
                    "trigger": "breached",
                    "delay_hours": 4,
                    "recipient": "managers",
                },
                {
                    "name": "L4",
                    "sequence": 4,
                    "trigger": "breached",
                    "delay_hours": 24,
                    "recipient": "users",
                    "user_ids": [Command.set(cls.general_manager.ids)],
                },
            ]
        )

    def _activity_users(self, ticket):
        return ticket.activity_ids.user_id

    def test_escalation_sequence_step_by_step(self):
        Ticket = self.env["aftersales.ticket"]
        ticket = self._new_ticket(
            date_received="2026-11-23 01:00:00"
        )  # respond by 03:00
        ticket.write({"user_id": False})
        ticket.team_id.user_id = self.manager
        ticket.flush_recordset()
        self.assertEqual(str(ticket.sla_escalation_date), "2026-11-23 02:36:00")
        with freeze_time("2026-11-23 02:00:00"):
            Ticket._cron_sla_escalate()
        self.assertEqual(ticket.sla_escalation_level, 0, "nothing is due yet")
        with freeze_time("2026-11-23 02:40:00"):  # at risk
            Ticket._cron_sla_escalate()
        self.assertEqual(ticket.sla_escalation_level, 1)
        self.assertEqual(ticket.sla_escalation_id.name, "L1")
        self.assertIn(
            self.manager, self._activity_users(ticket), "no responsible: the leader"
        )
        with freeze_time("2026-11-23 03:10:00"):  # breached
            Ticket._cron_sla_escalate()
        self.assertEqual(ticket.sla_escalation_level, 2)
        with freeze_time("2026-11-23 06:59:00"):
            Ticket._cron_sla_escalate()
        self.assertEqual(
            ticket.sla_escalation_level, 2, "managers only 4 h after the breach"
        )
        with freeze_time("2026-11-23 07:01:00"):
            Ticket._cron_sla_escalate()
        self.assertEqual(ticket.sla_escalation_level, 3)
        self.assertIn(self.manager, self._activity_users(ticket))
        with freeze_time("2026-11-24 03:01:00"):
            Ticket._cron_sla_escalate()
        self.assertEqual(ticket.sla_escalation_level, 4)
        self.assertIn(self.general_manager, self._activity_users(ticket))
        self.assertFalse(ticket.sla_escalation_date, "the ladder is climbed")
        escalations = ticket.message_ids.filtered(
            lambda m: "SLA escalation" in str(m.body)
        )
        self.assertEqual(len(escalations), 4)
        self.assertIn(self.general_manager.partner_id, escalations[0].partner_ids)

    def test_a_late_job_climbs_one_rung_per_run(self):
        ticket = self._new_ticket(date_received="2026-11-23 01:00:00", user_id=False)
        with freeze_time("2026-11-25 00:00:00"):
            self.env["aftersales.ticket"]._cron_sla_escalate()
        self.assertEqual(ticket.sla_escalation_level, 1)

    def test_met_targets_stop_the_ladder(self):
        ticket = self._new_ticket(date_received="2026-11-23 01:00:00")
        with freeze_time("2026-11-23 01:30:00"):
            ticket.user_id = self.technician
        self.assertFalse(ticket.sla_escalation_date)
        with freeze_time("2026-11-25 00:00:00"):
            self.env["aftersales.ticket"]._cron_sla_escalate()
        self.assertEqual(ticket.sla_escalation_level, 0)

    def _cron_cost(self, quiet_tickets):
        self.env["aftersales.ticket"].create(
            [
                {
                    "subject": f"Quiet {i}",
                    "team_id": self.team.id,
                    "date_received": "2026-11-23 05:00:00",
                }
                for i in range(quiet_tickets)
            ]
        )
        self.env.flush_all()
        with freeze_time("2026-11-23 02:40:00"):
            # Tickets already due (demo data, other tests) are handled first.
            self.env["aftersales.ticket"]._cron_sla_escalate()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["aftersales.ticket"]._cron_sla_escalate()
            return self.env.cr.sql_log_count - before

    def test_job_cost_does_not_grow_with_open_tickets(self):
        """Open tickets that need no action cost the job nothing."""
        few, many = self._cron_cost(5), self._cron_cost(100)
        self.assertEqual(few, many)
        self.assertLessEqual(many, 2)

    def test_bad_ladder_is_refused(self):
        with self.assertRaises(ValidationError):
            self.env["aftersales.sla.escalation"].create(
                {"name": "X", "delay_hours": -1}
            )
        with self.assertRaises(ValidationError):
            self.env["aftersales.sla.escalation"].create(
                {"name": "X", "recipient": "users"}
            )
