from collections import defaultdict
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import AftersalesCommon
from .xlsx_export_common import XlsxExportMixin

REPORT = "aftersales.xlsx.sla.compliance"
TARGETS = ("response", "onsite", "resolution")
HEADERS = {
    "response": (
        "Responses Measured",
        "Responses Met",
        "Response On-Time Rate",
    ),
    "onsite": (
        "On-Site Arrivals Measured",
        "On-Site Arrivals Met",
        "On-Site On-Time Rate",
    ),
    "resolution": (
        "Resolutions Measured",
        "Resolutions Met",
        "Resolution On-Time Rate",
    ),
}
FIGURE_HEADERS = ["Tickets"] + [h for target in TARGETS for h in HEADERS[target]]


@tagged("post_install", "-at_install")
class TestXlsxSlaCompliance(XlsxExportMixin, AftersalesCommon):
    """Tickets answered, reached and resolved on time or late, in calendar hours
    (response 2 h, on site 6 h, resolution 24 h; critical 1 h, 4 h, 8 h)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["aftersales.sla.policy"]
        Policy.search([]).active = False
        cls.level_1 = cls.env.ref("aftersales_service.fault_level_1")
        cls.standard = Policy.create(
            {
                "name": "Export Standard",
                "sequence": 100,
                "response_hours": 2,
                "onsite_hours": 6,
                "resolution_hours": 24,
                "time_basis": "calendar",
            }
        )
        cls.critical = Policy.create(
            {
                "name": "Export Critical",
                "sequence": 5,
                "fault_level_ids": [Command.link(cls.level_1.id)],
                "response_hours": 1,
                "onsite_hours": 4,
                "resolution_hours": 8,
                "time_basis": "calendar",
            }
        )
        cls.scope = {"team_ids": [Command.set((cls.team | cls.other_team).ids)]}

    def _ticket(self, team, user, received, delays, critical=False):
        """A ticket received at ``received`` (UTC) whose targets are reached
        after ``delays`` hours (response, on site, resolution; None: never)."""
        values = {"team_id": team.id, "date_received": received}
        if critical:
            values["fault_level_id"] = self.level_1.id
        ticket = self._new_ticket(**values)
        response, onsite, resolution = delays
        start = ticket.date_received
        if response is not None:
            with freeze_time(start + timedelta(hours=response)):
                ticket.user_id = user
        if onsite is not None:
            ticket.date_onsite = start + timedelta(hours=onsite)
        if resolution is not None:
            with freeze_time(start + timedelta(hours=resolution)):
                ticket.action_start()
                ticket.action_resolve()
        return ticket

    def _scenario(self):
        """(ticket, spec) of tickets in and out of September-October 2026."""
        tech, other = self.technician, self.other_technician
        specs = [
            (self.team, tech, "2026-09-10 06:00:00", (1, 5, 20), False),
            (self.team, tech, "2026-09-15 06:00:00", (3, 8, None), False),
            (self.team, tech, "2026-10-05 06:00:00", (0.5, None, 10), True),
            (self.other_team, other, "2026-10-12 06:00:00", (1.5, None, 30), False),
            (self.other_team, None, "2026-10-20 06:00:00", (None, None, None), False),
            # Received before the period.
            (self.team, tech, "2026-08-20 06:00:00", (1, None, None), False),
        ]
        return [(self._ticket(*spec), spec) for spec in specs]

    def _expected(self, tickets, key):
        """Counts per group, from the scenario's own delays and targets."""
        hours = {
            self.standard: (2, 6, 24),
            self.critical: (1, 4, 8),
        }
        groups = defaultdict(lambda: dict.fromkeys(FIGURE_HEADERS, 0))
        for ticket, (_team, _user, _received, delays, _critical) in tickets:
            row = groups[key(ticket)]
            row["Tickets"] += 1
            targets = hours[ticket.sla_policy_id]
            for target, delay, limit in zip(TARGETS, delays, targets, strict=True):
                measured, met, _rate = HEADERS[target]
                if delay is not None:
                    row[measured] += 1
                    row[met] += delay <= limit
        for row in groups.values():
            for target in TARGETS:
                measured, met, rate = HEADERS[target]
                row[rate] = row[met] / row[measured] if row[measured] else None
        return dict(groups)

    def _check_totals(self, content, name, table, expected):
        totals = {}
        for header in FIGURE_HEADERS:
            if header.endswith("Rate"):
                continue
            totals[header] = sum(row[header] for row in expected.values())
        for target in TARGETS:
            measured, met, rate = HEADERS[target]
            den, num = totals[measured], totals[met]
            totals[rate] = (met, measured, num / den if den else "")
        self._assert_totals(content, name, table, totals)

    def test_compliance_per_team_technician_policy_and_month(self):
        scenario = self._scenario()
        tickets = [item for item in scenario if item[1][2] >= "2026-09"]
        # The scenario is what the SLA says it is.
        first = scenario[0][0]
        self.assertEqual(first.sla_policy_id, self.standard)
        self.assertEqual(
            (
                first.sla_response_result,
                first.sla_onsite_result,
                first.sla_resolution_result,
            ),
            ("met", "met", "met"),
        )
        self.assertEqual(scenario[2][0].sla_policy_id, self.critical)
        self.assertEqual(scenario[2][0].sla_resolution_result, "late")

        content = self._export(
            REPORT, date_from="2026-09-01", date_to="2026-10-31", **self.scope
        )
        tables = self._tables(content)
        self.assertEqual(
            list(tables),
            [
                "By Team",
                "By Technician",
                "By SLA Policy",
                "By Month",
                "Open Tickets Now",
                "Notes",
                "Parameters",
            ],
        )
        for name, key_header, key in (
            ("By Team", "Team", lambda t: t.team_id.name),
            ("By Technician", "Technician", lambda t: t.user_id.name or "Unassigned"),
            ("By SLA Policy", "SLA Policy", lambda t: t.sla_policy_id.name),
            (
                "By Month",
                "Month",
                lambda t: datetime.combine(
                    t.date_received.date().replace(day=1), datetime.min.time()
                ),
            ),
        ):
            table = tables[name]
            self.assertEqual(table[0], [key_header, *FIGURE_HEADERS], name)
            expected = self._expected(tickets, key)
            self._assert_rows(table, key_header, expected)
            self._check_totals(content, name, table, expected)

        # Spot checks of the figures above, worked out by hand.
        team_row = next(r for r in tables["By Team"][1] if r["Team"] == "Workshop Team")
        self.assertEqual(team_row["Tickets"], 3)
        self.assertEqual(team_row["Responses Measured"], 3)
        self.assertEqual(team_row["Responses Met"], 2)
        self.assertAlmostEqual(team_row["Response On-Time Rate"], 2 / 3)
        self.assertAlmostEqual(team_row["Resolution On-Time Rate"], 0.5)
        months = [row["Month"] for row in tables["By Month"][1]]
        self.assertEqual(months, [datetime(2026, 9, 1), datetime(2026, 10, 1)])
        self.assertEqual(tables["By Team"][2]["Team"], "Total")

    def test_open_tickets_now_per_team(self):
        scenario = self._scenario()
        fresh = self._new_ticket(team_id=self.team.id)  # received now
        paused = self._new_ticket(
            team_id=self.other_team.id, user_id=self.other_technician.id
        )
        paused.stage_id = self.stages["waiting_customer"]
        tickets = [ticket for ticket, _spec in scenario] + [fresh, paused]
        content = self._export(
            REPORT, date_from="2026-09-01", date_to="2026-10-31", **self.scope
        )
        table = self._tables(content)["Open Tickets Now"]
        statuses = ["On Track", "At Risk", "Breached", "Paused"]
        self.assertEqual(table[0], ["Team", *statuses, "Open under SLA"])
        # Every open ticket of the two teams counts, whatever its date received.
        expected = defaultdict(lambda: dict.fromkeys([*statuses, "Open under SLA"], 0))
        labels = {
            "on_track": "On Track",
            "at_risk": "At Risk",
            "breached": "Breached",
            "paused": "Paused",
        }
        for ticket in tickets:
            working = ticket.stage_kind not in ("resolved", "closed", "cancelled")
            if working and ticket.sla_status in labels:
                row = expected[ticket.team_id.name]
                row[labels[ticket.sla_status]] += 1
                row["Open under SLA"] += 1
        # Every past ticket still being worked on is overdue; the resolved ones
        # are history, not alarms.
        self.assertEqual(
            {name: row["Breached"] for name, row in expected.items()},
            {"Workshop Team": 2, "Field Team": 1},
        )
        self.assertEqual(expected["Workshop Team"]["On Track"], 1)
        self.assertEqual(expected["Field Team"]["Paused"], 1)
        self._assert_rows(table, "Team", dict(expected))
        self._assert_totals(
            content,
            "Open Tickets Now",
            table,
            {
                header: sum(row[header] for row in expected.values())
                for header in [*statuses, "Open under SLA"]
            },
        )

    def test_technician_exports_only_their_tickets(self):
        scenario = self._scenario()
        content = self._export(
            REPORT,
            user=self.technician,
            date_from="2026-09-01",
            date_to="2026-10-31",
            **self.scope,
        )
        tables = self._tables(content)
        mine = [
            item
            for item in scenario
            if item[1][0] == self.team and item[1][2] >= "2026-09"
        ]
        self.assertEqual(len(mine), 3)
        self._assert_rows(
            tables["By Team"],
            "Team",
            self._expected(mine, lambda t: t.team_id.name),
        )
        self._assert_rows(
            tables["By Technician"],
            "Technician",
            self._expected(mine, lambda t: t.user_id.name),
        )
        self.assertEqual(
            [row["Team"] for row in tables["Open Tickets Now"][1]], ["Workshop Team"]
        )

    def test_print_menu_opens_the_wizard_on_the_selection(self):
        scenario = self._scenario()
        selection = scenario[0][0] | scenario[2][0]
        action = (
            self.env.ref(
                "aftersales_service.aftersales_ticket_action_print_sla_compliance"
            )
            .with_context(active_model="aftersales.ticket", active_ids=selection.ids)
            .run()
        )
        self.assertEqual(action["res_model"], "aftersales.xlsx.export")
        wizard = Form.from_action(self.env, action)
        self.assertEqual(wizard.report, REPORT)
        self.assertEqual(wizard.date_from, date(2026, 9, 10))
        self.assertEqual(wizard.date_to, date(2026, 10, 5))
        wizard = wizard.save()
        self.assertEqual(wizard.ticket_ids, selection)
        content = self._download(wizard)
        rows = self._tables(content)["By SLA Policy"][1]
        self.assertEqual(
            {row["SLA Policy"]: row["Tickets"] for row in rows},
            {"Export Standard": 1, "Export Critical": 1},
        )

    def test_query_count_does_not_grow_with_tickets(self):
        tech, other = self.technician, self.other_technician
        # Few: two tickets in June 2025; many: 16 tickets over three months.
        for day in (2, 3):
            self._ticket(self.team, tech, f"2025-06-{day:02d} 06:00:00", (1, 3, 10))
        for index in range(16):
            team, user = (self.team, tech) if index % 2 else (self.other_team, other)
            self._ticket(
                team,
                user,
                f"2025-{7 + index % 3:02d}-{index + 1:02d} 06:00:00",
                (index % 4, index % 7 or None, 20 + index),
                critical=index % 3 == 0,
            )
        self.env.flush_all()
        few = self._wizard(
            REPORT, date_from="2025-06-01", date_to="2025-06-30", **self.scope
        )
        many = self._wizard(
            REPORT, date_from="2025-07-01", date_to="2025-09-30", **self.scope
        )
        self._render_queries(few)  # warm up the caches of labels and access rules
        cost_few = self._render_queries(few)
        cost_many = self._render_queries(many)
        self.assertEqual(cost_many, cost_few)
        tables = self._tables(many._render()[1])
        self.assertEqual(sum(r["Tickets"] for r in tables["By Team"][1]), 16)
        self.assertEqual(len(tables["By Month"][1]), 3)
