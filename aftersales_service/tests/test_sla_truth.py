from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import AftersalesCommon
from .xlsx_export_common import XlsxExportMixin

TARGETS = ("response", "onsite", "resolution")
NOW = "2026-11-23 10:00:00"
RECEIVED = "2026-11-23 00:00:00"


@tagged("post_install", "-at_install")
class TestSlaTargetsApply(AftersalesCommon):
    """A target counts only where it applies and stops when the ticket is done
    (calendar hours: respond in 2 h, on site in 6 h, resolve in 24 h)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["aftersales.sla.policy"]
        Policy.search([]).active = False
        cls.policy = Policy.create(
            {
                "name": "Truth",
                "response_hours": 2,
                "onsite_hours": 6,
                "resolution_hours": 24,
                "time_basis": "calendar",
            }
        )
        Type = cls.env["aftersales.ticket.type"]
        cls.phone_type = Type.create({"name": "Phone Support", "code": "T-PHONE"})
        cls.onsite_type = Type.create(
            {"name": "On-Site Repair", "code": "T-ONSITE", "onsite_service": True}
        )

    def _ticket(self, type_=None, received=RECEIVED, **values):
        return self._new_ticket(
            date_received=received, type_id=(type_ or self.phone_type).id, **values
        )

    def _at(self, moment, ticket, *actions):
        with freeze_time(moment):
            for action in actions:
                action(ticket)
        return ticket

    def _assign(self, ticket):
        ticket.user_id = self.technician

    def _resolve_now(self, ticket):
        ticket.action_resolve()

    def test_onsite_target_only_when_onsite_service_is_needed(self):
        phone = self._ticket()
        self.assertFalse(phone.sla_onsite_needed)
        self.assertFalse(phone.sla_onsite_deadline)
        self.assertEqual(phone.sla_onsite_status, "none")
        onsite = self._ticket(self.onsite_type)
        self.assertTrue(onsite.sla_onsite_needed)
        self.assertEqual(str(onsite.sla_onsite_deadline), "2026-11-23 06:00:00")
        # Planning a visit makes the on-site target apply.
        self.env["aftersales.visit"].create(
            {
                "ticket_id": phone.id,
                "user_id": self.technician.id,
                "planned_start": "2026-11-23 02:00:00",
            }
        )
        self.assertTrue(phone.sla_onsite_needed)
        self.assertEqual(str(phone.sla_onsite_deadline), "2026-11-23 06:00:00")
        # A policy may ask for on-site service on every ticket.
        self.policy.onsite_always = True
        other = self._ticket()
        self.assertTrue(other.sla_onsite_deadline)

    def test_done_tickets_stop_counting(self):
        ticket = self._at("2026-11-23 00:30:00", self._ticket(), self._assign)
        self._at("2026-11-23 05:00:00", ticket, self._resolve_now)
        with freeze_time("2026-12-30 00:00:00"):
            ticket.invalidate_recordset()
            self.assertEqual(ticket.sla_status, "met")
            self.assertEqual(ticket.sla_onsite_status, "none")
            self.assertEqual(ticket.sla_resolution_status, "met")
            self.assertFalse(ticket.sla_deadline)
            Ticket = self.env["aftersales.ticket"]
            self.assertNotIn(ticket, Ticket.search([("sla_status", "=", "breached")]))
            self.assertIn(ticket, Ticket.search([("sla_status", "=", "met")]))

    def test_target_not_reached_at_resolution_is_not_applicable_unless_late(self):
        early = self._at(
            "2026-11-23 00:30:00", self._ticket(self.onsite_type), self._assign
        )
        self._at("2026-11-23 04:00:00", early, self._resolve_now)
        self.assertEqual(early.sla_onsite_result, "na")
        late = self._at(
            "2026-11-23 00:30:00", self._ticket(self.onsite_type), self._assign
        )
        self._at("2026-11-23 07:00:00", late, self._resolve_now)
        self.assertEqual(late.sla_onsite_result, "breached")
        self.assertEqual(late.sla_resolution_result, "met")
        with freeze_time(NOW):
            late.invalidate_recordset()
            self.assertEqual(late.sla_status, "breached", "it was already breached")
            early.invalidate_recordset()
            self.assertEqual(early.sla_status, "met")

    def test_cancelled_ticket_is_not_a_response(self):
        ticket = self._at(
            "2026-11-23 01:00:00", self._ticket(), lambda t: t.action_cancel()
        )
        self.assertFalse(ticket.date_first_response)
        self.assertEqual(ticket.sla_response_result, "na")
        self.assertEqual(ticket.sla_resolution_result, "na")
        late = self._at(
            "2026-11-23 03:00:00", self._ticket(), lambda t: t.action_cancel()
        )
        self.assertEqual(late.sla_response_result, "breached")
        with freeze_time("2026-12-30 00:00:00"):
            ticket.invalidate_recordset()
            self.assertEqual(ticket.sla_status, "none")

    def test_resolved_ticket_is_never_at_risk(self):
        ticket = self._at(
            "2026-11-23 00:30:00", self._ticket(self.onsite_type), self._assign
        )
        self._at("2026-11-23 01:00:00", ticket, self._resolve_now)
        for moment in (
            "2026-11-23 05:00:00",
            "2026-11-23 07:00:00",
            "2026-11-25 00:00:00",
        ):
            with freeze_time(moment):
                ticket.invalidate_recordset()
                self.assertEqual(ticket.sla_status, "met", moment)


@tagged("post_install", "-at_install")
class TestSlaOneDefinition(XlsxExportMixin, TestSlaTargetsApply):
    """Tickets in every state: the badge, the searches, the overview, the SLA
    analysis, the SLA workbook and the ticket register give the same figures."""

    def _build(self):
        waiting = self.stages["waiting_customer"]
        built = {}
        built["on_track"] = self._ticket(received="2026-11-23 09:00:00")
        built["at_risk"] = self._ticket(received="2026-11-23 08:20:00")
        built["breached_open"] = self._at(
            "2026-11-23 00:30:00", self._ticket(self.onsite_type), self._assign
        )
        built["paused"] = self._at(
            "2026-11-23 00:30:00",
            self._ticket(),
            self._assign,
            lambda t: t.write({"stage_id": waiting.id}),
        )
        built["resolved_met"] = self._at(
            "2026-11-23 00:30:00", self._ticket(), self._assign
        )
        self._at("2026-11-23 05:00:00", built["resolved_met"], self._resolve_now)
        built["resolved_late"] = self._at(
            "2026-11-23 03:00:00", self._ticket(), self._assign
        )
        self._at("2026-11-23 05:00:00", built["resolved_late"], self._resolve_now)
        built["onsite_missed"] = self._at(
            "2026-11-23 00:30:00", self._ticket(self.onsite_type), self._assign
        )
        self._at("2026-11-23 07:00:00", built["onsite_missed"], self._resolve_now)
        built["onsite_na"] = self._at(
            "2026-11-23 00:30:00", self._ticket(self.onsite_type), self._assign
        )
        self._at("2026-11-23 04:00:00", built["onsite_na"], self._resolve_now)
        built["cancelled"] = self._at(
            "2026-11-23 01:00:00", self._ticket(), lambda t: t.action_cancel()
        )
        built["cancelled_late"] = self._at(
            "2026-11-23 03:00:00", self._ticket(), lambda t: t.action_cancel()
        )
        built["closed"] = self._at("2026-11-23 00:30:00", self._ticket(), self._assign)
        self._at("2026-11-23 02:00:00", built["closed"], self._resolve_now)
        with freeze_time("2026-11-23 02:30:00"):
            built["closed"]._close_with_confirmation(
                "phone",
                False,
                "2026-11-23 02:20:00",
                partner=self.customer_contact,
            )
        built["resolution_late"] = self._at(
            "2026-11-21 00:30:00",
            self._ticket(received="2026-11-21 00:00:00"),
            self._assign,
        )
        self._at("2026-11-22 02:00:00", built["resolution_late"], self._resolve_now)
        return built

    def test_every_figure_agrees(self):
        built = self._build()
        tickets = self.env["aftersales.ticket"].browse(t.id for t in built.values())
        expected = {
            "on_track": "on_track",
            "at_risk": "at_risk",
            "breached_open": "breached",
            "paused": "paused",
            "resolved_met": "met",
            "resolved_late": "met_late",
            "onsite_missed": "breached",
            "onsite_na": "met",
            "cancelled": "none",
            "cancelled_late": "breached",
            "closed": "met",
            "resolution_late": "met_late",
        }
        with freeze_time(NOW):
            self.env.invalidate_all()
            Ticket = self.env["aftersales.ticket"]
            # The badge.
            self.assertEqual({key: built[key].sla_status for key in built}, expected)
            # The search behind every filter gives the badge's tickets.
            for status in (
                "none",
                "on_track",
                "at_risk",
                "breached",
                "paused",
                "met",
                "met_late",
            ):
                found = Ticket.search(
                    [("id", "in", tickets.ids), ("sla_status", "=", status)]
                )
                self.assertEqual(
                    found,
                    tickets.filtered(lambda t, s=status: t.sla_status == s),
                    status,
                )
            # Open alarms: only tickets still being worked on.
            working = tickets.filtered(
                lambda t: t.stage_kind not in ("resolved", "closed", "cancelled")
            )
            alarms = {
                status: len(working.filtered(lambda t, s=status: t.sla_status == s))
                for status in ("on_track", "at_risk", "breached", "paused")
            }
            self.assertEqual(
                alarms, {"on_track": 1, "at_risk": 1, "breached": 1, "paused": 1}
            )
            self.team.invalidate_recordset()
            self.assertEqual(self.team.overview_sla_breached_count, alarms["breached"])
            self.assertEqual(self.team.overview_sla_at_risk_count, alarms["at_risk"])

            # The measured targets, counted from the badges of the targets.
            measured = {target: [0, 0] for target in TARGETS}
            for ticket in tickets:
                stopped = ticket.stage_kind in ("resolved", "closed", "cancelled")
                for target in TARGETS:
                    status = ticket[f"sla_{target}_status"]
                    if status in ("met", "met_late") or (
                        status == "breached" and stopped
                    ):
                        measured[target][0] += 1
                        measured[target][1] += status == "met"
            self.assertEqual(
                measured,
                {"response": [9, 7], "onsite": [1, 0], "resolution": [6, 5]},
            )
            Report = self.env["aftersales.sla.report"]
            analysis = {
                target: [count, met]
                for target, count, met in Report._read_group(
                    [("ticket_id", "in", tickets.ids)],
                    ["target"],
                    ["__count", "met_count:sum"],
                )
            }
            self.assertEqual(analysis, measured)
            [[rate]] = Report._read_group(
                [("ticket_id", "in", tickets.ids), ("target", "=", "resolution")],
                [],
                ["on_time:avg"],
            )
            self.assertAlmostEqual(rate, 500 / 6)

            # The SLA workbook.
            content = self._export(
                "aftersales.xlsx.sla.compliance",
                date_from="2026-11-01",
                date_to="2026-11-30",
                team_ids=[Command.set(self.team.ids)],
            )
            tables = self._tables(content)
            _headers, rows, _totals = tables["By Team"]
            [row] = rows
            self.assertEqual(row["Tickets"], len(tickets))
            self.assertEqual(row["Responses Measured"], measured["response"][0])
            self.assertEqual(row["Responses Met"], measured["response"][1])
            self.assertEqual(row["On-Site Arrivals Measured"], measured["onsite"][0])
            self.assertEqual(row["On-Site Arrivals Met"], measured["onsite"][1])
            self.assertEqual(row["Resolutions Measured"], measured["resolution"][0])
            self.assertEqual(row["Resolutions Met"], measured["resolution"][1])
            _headers, rows, _totals = tables["Open Tickets Now"]
            [row] = rows
            self.assertEqual(
                {
                    status: row[label]
                    for status, label in (
                        ("on_track", "On Track"),
                        ("at_risk", "At Risk"),
                        ("breached", "Breached"),
                        ("paused", "Paused"),
                    )
                },
                alarms,
            )

            # The ticket register.
            content = self._export(
                "aftersales.xlsx.ticket.register",
                date_from="2026-11-01",
                date_to="2026-11-30",
                team_ids=[Command.set(self.team.ids)],
            )
            _headers, rows, _totals = self._tables(content)["Tickets"]
            labels = dict(Ticket._fields["sla_status"]._description_selection(self.env))
            self.assertEqual(
                {row["Ticket"]: row["SLA Status"] for row in rows},
                {t.name: labels[t.sla_status] for t in tickets},
            )


@tagged("post_install", "-at_install")
class TestSlaEscalationTruth(AftersalesCommon):
    """One rung per run, each when due; never on a done ticket; the message in
    each recipient's time zone and language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["aftersales.sla.policy"]
        Policy.search([]).active = False
        cls.policy = Policy.create(
            {"name": "Two Hours", "response_hours": 2, "time_basis": "calendar"}
        )
        cls.general_manager = cls._make_user("as_gm", "group_aftersales_user")
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
        cls.Ticket = cls.env["aftersales.ticket"]

    def _escalations(self, ticket):
        return ticket.message_ids.filtered(lambda m: "SLA escalation" in str(m.body))

    def test_one_rung_per_run_even_when_all_are_due(self):
        ticket = self._new_ticket(date_received="2026-11-23 01:00:00")
        with freeze_time("2026-11-30 00:00:00"):
            for level in (1, 2, 3, 4):
                self.Ticket._cron_sla_escalate()
                self.assertEqual(ticket.sla_escalation_level, level)
                self.assertEqual(len(self._escalations(ticket)), level)
            activities = len(ticket.activity_ids)
            self.Ticket._cron_sla_escalate()
        self.assertEqual(ticket.sla_escalation_level, 4)
        self.assertEqual(len(self._escalations(ticket)), 4)
        self.assertEqual(len(ticket.activity_ids), activities)

    def test_rerunning_the_job_never_duplicates(self):
        ticket = self._new_ticket(date_received="2026-11-23 01:00:00")
        with freeze_time("2026-11-23 03:30:00"):  # at risk and breached, not + 4 h
            self.Ticket._cron_sla_escalate()
            self.Ticket._cron_sla_escalate()
            self.Ticket._cron_sla_escalate()
            posts, activities = len(self._escalations(ticket)), len(ticket.activity_ids)
            self.assertEqual(ticket.sla_escalation_level, 2)
            self.Ticket._cron_sla_escalate()
        self.assertEqual(len(self._escalations(ticket)), posts)
        self.assertEqual(len(ticket.activity_ids), activities)

    def test_nothing_escalates_once_the_ticket_is_done(self):
        for stage_kind in ("resolved", "cancelled"):
            ticket = self._new_ticket(date_received="2026-11-23 01:00:00")
            with freeze_time("2026-11-23 04:00:00"):  # breached, not escalated yet
                ticket.user_id = self.technician
                if stage_kind == "resolved":
                    ticket.action_resolve()
                else:
                    ticket.action_cancel()
            self.assertFalse(ticket.sla_escalation_date, stage_kind)
            with freeze_time("2026-11-30 00:00:00"):
                self.Ticket._cron_sla_escalate()
            self.assertEqual(ticket.sla_escalation_level, 0, stage_kind)
            self.assertFalse(self._escalations(ticket), stage_kind)

    def test_message_in_the_recipients_time_zone_and_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"]
        )
        self.manager.write({"tz": "Asia/Shanghai", "lang": "zh_CN"})
        self.team.user_id = self.manager
        self.env.company.partner_id.tz = "Europe/Paris"
        ticket = self._new_ticket(date_received="2026-11-23 01:00:00")  # due 03:00 UTC
        with freeze_time("2026-11-23 03:30:00"):
            self.Ticket._cron_sla_escalate()  # L1: nobody responsible, the leader
            self.Ticket._cron_sla_escalate()  # L2: the team leader
        post = self._escalations(ticket)[0]
        self.assertIn("First response", str(post.body))
        self.assertIn("2026-11-23 04:00", str(post.body), "Paris time")
        self.assertIn("Europe/Paris", str(post.body))
        self.assertNotIn("03:00:00", str(post.body), "never raw UTC")
        note = ticket.activity_ids.filtered(lambda a: a.user_id == self.manager)[-1:]
        self.assertIn("2026-11-23 11:00", str(note.note), "Shanghai time")
        self.assertIn("Asia/Shanghai", str(note.note))
        self.assertIn("首次响应", str(note.note))
        self.assertEqual(post.author_id, self.env.ref("base.partner_root"))
