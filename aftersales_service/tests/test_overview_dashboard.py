import logging
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from .feedback_common import FeedbackCommon
from .return_common import ReturnCommon

_logger = logging.getLogger(__name__)

OVERVIEW_FIELDS = [
    "overview_stage_counts",
    "overview_fault_levels",
    "overview_sla_at_risk_count",
    "overview_sla_breached_count",
    "overview_survey_count",
    "overview_satisfaction_rate",
    "overview_closed_count",
    "overview_first_time_fix_rate",
    "overview_return_inspection_count",
    "overview_claim_approval_count",
]


@tagged("post_install", "-at_install")
class TestOverviewDashboard(FeedbackCommon):
    """The management figures of the team cards: what they count, the lists they
    open, what a technician is shown, and their fixed query cost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["aftersales.ticket"]
        cls.level_1 = cls.env.ref("aftersales_service.fault_level_1")
        cls.level_3 = cls.env.ref("aftersales_service.fault_level_3")
        # A company's own level: the per-level figures follow the configured list.
        cls.level_local = cls.env["aftersales.fault.level"].create(
            {"name": "Cosmetic Only", "level": 9, "company_id": cls.company.id}
        )
        Policy = cls.env["aftersales.sla.policy"]
        Policy.search([]).active = False
        # Resolved within 10 hours round the clock, at risk from 8 hours on.
        cls.policy = Policy.create(
            {
                "name": "Overview Policy",
                "resolution_hours": 10,
                "time_basis": "calendar",
                "at_risk_percent": 80,
            }
        )
        cls.team.member_ids |= cls.agent
        cls.reason = cls.env["aftersales.return.reason"].create(
            {"name": "Defective", "default_outcome": "refund"}
        )

    def _open(self, team, kind=None, **values):
        values.setdefault("subject", "Open job")
        ticket = self.Ticket.create({"team_id": team.id, **values})
        if kind == "in_progress":
            ticket.user_id = self.technician
            ticket.action_start()
        elif kind == "resolved":
            self._resolve(ticket)
        elif kind == "waiting_parts":
            ticket.stage_id = self.stages["waiting_parts"]
        return ticket

    def _survey(self, ticket, key):
        survey = ticket.survey_ids or self.env["aftersales.survey"].sudo().create(
            {"ticket_id": ticket.id, "partner_id": ticket.partner_id.id}
        )
        survey.sudo().write(
            {
                **self._answer(key),
                "state": "answered",
                "date_answered": fields.Datetime.now(),
                "channel": "call",
            }
        )
        return survey

    def _claim(self, ticket, state):
        return (
            self.env["aftersales.warranty.claim"]
            .with_context(aftersales_claim_flow=True)
            .create({"ticket_id": ticket.id, "state": state})
        )

    def _return_line(self, ticket, state):
        toner = self.order.order_line.filtered(
            lambda line: line.product_id == self.plain_product
        )
        return self.env["aftersales.return.line"].create(
            {
                "ticket_id": ticket.id,
                "sale_line_id": toner.id,
                "quantity": 1,
                "reason_id": self.reason.id,
                "state": state,
            }
        )

    def _build(self):
        """Data spread over both teams, every figure with something to count and
        something it must leave out."""
        now = fields.Datetime.now()
        team, other = self.team, self.other_team
        data = {}
        data["new_l1"] = self._open(team, fault_level_id=self.level_1.id)
        data["new_l1_b"] = self._open(team, fault_level_id=self.level_1.id)
        data["progress_l3"] = self._open(
            team, "in_progress", fault_level_id=self.level_3.id
        )
        data["parts_local"] = self._open(
            team, "waiting_parts", fault_level_id=self.level_local.id
        )
        data["resolved_none"] = self._open(team, "resolved")
        # SLA: on track, at risk (9 of 10 hours gone), breached (12 hours gone).
        data["sla_ok"] = self._open(team, date_received=now)
        data["sla_risk"] = self._open(team, date_received=now - timedelta(hours=9))
        data["sla_late"] = self._open(team, date_received=now - timedelta(hours=12))
        data["cancelled"] = self._open(team, fault_level_id=self.level_1.id)
        data["cancelled"].action_cancel()
        # The other team: one job assigned to the team's technician, others not.
        data["other_mine"] = self._open(
            other,
            fault_level_id=self.level_1.id,
            user_id=self.technician.id,
            date_received=now - timedelta(hours=12),
        )
        data["other_1"] = self._open(other, fault_level_id=self.level_1.id)
        data["other_2"] = self._open(other, "waiting_parts")
        data["other_late"] = self._open(other, date_received=now - timedelta(hours=12))

        # Closed this month: two fixed, one that failed again (same serial).
        data["closed_fixed"] = self._closed_ticket(team_id=team.id)
        data["closed_fixed_2"] = self._closed_ticket(team_id=team.id)
        data["closed_failed"] = self._closed_ticket(
            team_id=team.id, lot_id=self.serial_1.id
        )
        data["repeat"] = self._open(team, lot_id=self.serial_1.id)
        data["closed_other"] = self._closed_ticket(team_id=other.id)
        # Closed last month: out of this month's figures.
        data["closed_old"] = self._closed_ticket(team_id=team.id)
        data["closed_old"].date_closed = now - timedelta(days=40)

        # Surveys answered this month: two satisfied, one not; one last month;
        # one still pending.
        data["survey_ok"] = self._survey(data["closed_fixed"], "satisfied")
        data["survey_ok_2"] = self._survey(data["closed_fixed_2"], "very_satisfied")
        data["survey_bad"] = self._survey(data["closed_failed"], "dissatisfied")
        data["survey_old"] = self._survey(data["closed_old"], "satisfied")
        data["survey_old"].sudo().date_answered = now - timedelta(days=40)
        data["survey_other"] = self._survey(data["closed_other"], "dissatisfied")

        # Returns: received (awaiting inspection) or not.
        return_ticket = self._open(team, partner_id=self.customer.id)
        data["return_received"] = self._return_line(return_ticket, "received")
        data["return_received_2"] = self._return_line(return_ticket, "received")
        data["return_inspected"] = self._return_line(return_ticket, "inspected")
        other_return = self._open(other, partner_id=self.customer.id)
        data["return_other"] = self._return_line(other_return, "received")

        # Claims: submitted (first approval, or second after a first one) or not.
        covered = self._open(team, lot_id=self.serial_1.id)
        data["claim_first"] = self._claim(covered, "submitted")
        data["claim_second"] = self._claim(covered, "submitted")
        data["claim_second"].with_context(
            aftersales_claim_flow=True
        ).first_approver_id = self.manager
        data["claim_draft"] = self._claim(covered, "draft")
        data["claim_approved"] = self._claim(covered, "approved")
        other_covered = self._open(other, lot_id=self.serial_1.id)
        data["claim_other"] = self._claim(other_covered, "submitted")
        self.env.flush_all()
        return data

    def _expected_open(self, team, user=None):
        """Open tickets of ``team`` readable by ``user``, counted in Python."""
        tickets = self.Ticket.search([("team_id", "=", team.id)])
        if user:
            tickets = tickets.filtered(
                lambda t: t.user_id == user or user in t.team_id.member_ids
            )
        return tickets.filtered(lambda t: t.stage_kind not in ("closed", "cancelled"))

    def test_figures_count_the_data(self):
        data = self._build()
        team = self.team
        team.invalidate_recordset()
        opened = self._expected_open(team)
        stage_counts = team.overview_stage_counts
        for kind in (
            "new",
            "assigned",
            "in_progress",
            "waiting_customer",
            "waiting_parts",
            "resolved",
        ):
            self.assertEqual(
                stage_counts[kind],
                len(opened.filtered(lambda t, k=kind: t.stage_kind == k)),
                kind,
            )
        self.assertEqual(stage_counts["in_progress"], 1)
        self.assertEqual(stage_counts["waiting_parts"], 1)
        self.assertEqual(stage_counts["resolved"], 1)
        self.assertEqual(sum(stage_counts.values()), len(opened))

        # Per level, most serious first, the company's own level included, and
        # the tickets without level last.
        self.assertEqual(
            [(row["id"], row["count"]) for row in team.overview_fault_levels],
            [
                (self.level_1.id, 2),
                (self.level_3.id, 1),
                (self.level_local.id, 1),
                (False, len(opened) - 4),
            ],
        )
        self.assertEqual(team.overview_fault_levels[2]["name"], "Cosmetic Only")

        self.assertEqual(team.overview_sla_at_risk_count, 1)
        self.assertEqual(team.overview_sla_breached_count, 1)
        self.assertEqual(data["sla_risk"].sla_status, "at_risk")
        self.assertEqual(data["sla_late"].sla_status, "breached")
        self.assertEqual(self.other_team.overview_sla_breached_count, 2)

        self.assertTrue(data["closed_failed"].has_repeat)
        self.assertEqual(team.overview_closed_count, 3)
        self.assertAlmostEqual(team.overview_first_time_fix_rate, 200 / 3, places=2)
        self.assertEqual(team.overview_survey_count, 3)
        self.assertAlmostEqual(team.overview_satisfaction_rate, 200 / 3, places=2)
        self.assertEqual(self.other_team.overview_satisfaction_rate, 0.0)
        self.assertEqual(self.other_team.overview_survey_count, 1)

        self.assertEqual(team.overview_return_inspection_count, 2)
        self.assertEqual(team.overview_claim_approval_count, 2)
        self.assertEqual(self.other_team.overview_return_inspection_count, 1)
        self.assertEqual(self.other_team.overview_claim_approval_count, 1)

    def test_same_definition_as_the_scorecard(self):
        """The first-time-fix and satisfaction rates equal the scorecard's for a
        team whose only technician closed every job."""
        data = self._build()
        for key in ("closed_fixed", "closed_fixed_2", "closed_failed"):
            data[key].sudo().user_id = self.other_technician
        for key in ("survey_ok", "survey_ok_2", "survey_bad"):
            data[key].sudo().technician_ids = self.other_technician
        # The scorecard counts a calendar month in UTC: keep it away from its edges.
        card = self.env["aftersales.technician.evaluation"]._generate(
            fields.Date.today(), users=self.other_technician
        )
        self.team.invalidate_recordset()
        self.assertAlmostEqual(
            self.team.overview_first_time_fix_rate, card.first_time_fix_rate, places=2
        )
        self.assertAlmostEqual(
            self.team.overview_satisfaction_rate, card.satisfaction_rate, places=2
        )

    def test_actions_open_what_is_counted(self):
        data = self._build()
        team = self.team
        team.invalidate_recordset()
        opened = self._expected_open(team)

        def records(action):
            return self.env[action["res_model"]].search(action["domain"])

        for kind in ("new", "in_progress", "waiting_parts", "resolved"):
            action = team.with_context(
                overview_stage_kind=kind
            ).action_overview_open_stage_kind()
            self.assertEqual(
                records(action), opened.filtered(lambda t, k=kind: t.stage_kind == k)
            )
            self.assertEqual(len(records(action)), team.overview_stage_counts[kind])
            self.assertEqual(action["views"][0][1], "list")
        self.assertEqual(
            records(
                team.with_context(
                    overview_stage_kind="in_progress"
                ).action_overview_open_stage_kind()
            ),
            data["progress_l3"],
        )
        # An unknown meaning opens every open ticket rather than guessing.
        self.assertEqual(
            records(
                team.with_context(
                    overview_stage_kind="closed"
                ).action_overview_open_stage_kind()
            ),
            opened,
        )

        action = team.action_overview_open_fault_levels()
        self.assertEqual(records(action), opened)
        self.assertEqual(action["context"]["group_by"], ["fault_level_id"])
        groups = {
            level.id: count
            for level, count in self.Ticket._read_group(
                action["domain"], ["fault_level_id"], ["__count"]
            )
        }
        self.assertEqual(
            groups, {row["id"]: row["count"] for row in team.overview_fault_levels}
        )

        for method, expected in (
            ("action_overview_open_sla_at_risk", data["sla_risk"]),
            ("action_overview_open_sla_breached", data["sla_late"]),
            (
                "action_overview_open_surveys",
                data["survey_ok"] | data["survey_ok_2"] | data["survey_bad"],
            ),
            (
                "action_overview_open_closed_tickets",
                data["closed_fixed"] | data["closed_fixed_2"] | data["closed_failed"],
            ),
            (
                "action_overview_open_returns_to_inspect",
                data["return_received"] | data["return_received_2"],
            ),
            (
                "action_overview_open_claims_to_approve",
                data["claim_first"] | data["claim_second"],
            ),
        ):
            action = getattr(team, method)()
            self.assertEqual(records(action), expected, method)
            self.assertEqual(action["res_model"], expected._name, method)

    def test_technician_sees_only_what_they_may_read(self):
        data = self._build()
        other = self.other_team.with_user(self.technician)
        team = self.team.with_user(self.technician)
        # Everything of their own team...
        self.assertEqual(team.overview_claim_approval_count, 2)
        self.assertEqual(team.overview_return_inspection_count, 2)
        self.assertEqual(
            sum(team.overview_stage_counts.values()),
            len(self._expected_open(self.team)),
        )
        # ...and of the other team only the job assigned to them.
        visible = self._expected_open(self.other_team, self.technician)
        self.assertEqual(visible, data["other_mine"])
        self.assertEqual(sum(other.overview_stage_counts.values()), 1)
        self.assertEqual(
            [(row["id"], row["count"]) for row in other.overview_fault_levels],
            [(self.level_1.id, 1)],
        )
        self.assertEqual(other.overview_sla_breached_count, 1)
        self.assertEqual(other.overview_return_inspection_count, 0)
        self.assertEqual(other.overview_claim_approval_count, 0)
        # They closed the other team's job: its survey is theirs to see.
        self.assertEqual(other.overview_survey_count, 1)
        self.assertEqual(other.overview_closed_count, 1)
        # The manager, on the same records in the same transaction, sees it all.
        self.assertEqual(
            sum(self.other_team.with_user(self.manager).overview_stage_counts.values()),
            4 + 2,  # four open jobs, plus the return and claim tickets
        )
        self.assertEqual(
            self.other_team.with_user(self.manager).overview_claim_approval_count, 1
        )
        # The list opened by the technician holds what the figure counted.
        action = other.action_overview_open_sla_breached()
        self.assertEqual(
            self.Ticket.with_user(self.technician).search(action["domain"]),
            data["other_mine"],
        )

    def _queries(self, teams):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        teams.read(OVERVIEW_FIELDS)
        return self.env.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_teams_or_tickets(self):
        self._build()
        few = self.team | self.other_team
        many = self.env["aftersales.team"].create(
            [
                {
                    "name": f"Region {i}",
                    "member_ids": [Command.link(self.technician.id)],
                }
                for i in range(10)
            ]
        )
        levels = self.env["aftersales.fault.level"].search([])
        self.Ticket.create(
            [
                {
                    "subject": f"Bulk {i}",
                    "team_id": many[i % 10].id,
                    "fault_level_id": levels[i % len(levels)].id,
                    "date_received": fields.Datetime.now() - timedelta(hours=i % 15),
                }
                for i in range(120)
            ]
        )
        self.env.flush_all()
        for user in (self.env.user, self.technician):
            with self.subTest(user=user.login):
                self._queries(few.with_user(user))  # warm the caches
                cost_few = self._queries(few.with_user(user))
                cost_many = self._queries(many.with_user(user))
                _logger.info(
                    "overview queries as %s: %s for 2 teams, %s for 10 teams",
                    user.login,
                    cost_few,
                    cost_many,
                )
                self.assertEqual(cost_many, cost_few)
                # The teams, the user's time zone, seven grouped queries, the levels.
                self.assertLessEqual(cost_few, 12)
        self.assertEqual(sum(sum(t.overview_stage_counts.values()) for t in many), 120)


@tagged("post_install", "-at_install")
class TestReportingAnalyses(ReturnCommon):
    """Every analysis of the Reporting menu opens on a pivot or a graph, has
    both, and their default measures exist and can be aggregated."""

    def test_every_reporting_entry_has_pivot_and_graph(self):
        root = self.env.ref("aftersales_service.aftersales_menu_reporting")
        menus = self.env["ir.ui.menu"].search([("id", "child_of", root.id)]) - root
        names = set(menus.mapped("name"))
        analyses = (
            "Tickets",
            "SLA Compliance",
            "Returns",
            "Technician KPIs",
            "Satisfaction",
            "Warranty Cost",
            "Failed Parts",
            "Complaints",
            "Complaints by Department",
        )
        for expected in analyses:
            self.assertIn(expected, names)
        # The other entries export or archive workbooks: not analyses.
        for menu in menus.filtered(lambda m: m.name in analyses):
            action = menu.action
            modes = action.view_mode.split(",")
            with self.subTest(menu=menu.name):
                self.assertIn(modes[0], ("pivot", "graph"))
                self.assertIn("pivot", modes)
                self.assertIn("graph", modes)
                model = self.env[action.res_model]
                views = model.get_views(
                    [(False, "pivot"), (False, "graph")]
                    + [(v.view_id.id, v.view_mode) for v in action.view_ids]
                )["views"]
                for mode in ("pivot", "graph"):
                    arch = views[mode]["arch"]
                    for fname in re.findall(r'name="([a-z_]+)"', arch):
                        field = model._fields[fname]
                        self.assertTrue(field.store, f"{fname} of {mode}")
                    for fname in re.findall(
                        r'name="([a-z_]+)"[^>]*type="measure"', arch
                    ):
                        self.assertTrue(model._fields[fname].aggregator, fname)
                # The measures of the action's context exist and aggregate.
                context = safe_eval(action.context or "{}", {"ref": lambda x: 0})
                for fname in context.get("pivot_measures", []) + [
                    context.get("graph_measure", "__count")
                ]:
                    if fname != "__count":
                        self.assertTrue(model._fields[fname].aggregator, fname)
                for spec in context.get("graph_groupbys", []):
                    self.assertTrue(model._fields[spec.split(":")[0]].store, spec)

    def test_refunded_amount_by_reason(self):
        ticket, line = self._received_line(qty=2)
        self.assertEqual(line.amount_refunded, 0.0)
        self._inspect(line, "defect_confirmed", disposition="stock")
        ticket.action_return_refund()
        credit_note = ticket.return_refund_ids
        self.assertEqual(line.amount_refunded, 160.0)
        self.assertEqual(line.amount_refunded, credit_note.amount_untaxed)
        groups = self.env["aftersales.return.line"]._read_group(
            [("id", "=", line.id)], ["reason_id"], ["amount_refunded:sum"]
        )
        self.assertEqual(groups, [(self.reason_defect, 160.0)])
        credit_note.button_cancel()
        self.assertEqual(line.amount_refunded, 0.0)


@tagged("post_install", "-at_install")
class TestOverviewTour(HttpCase):
    def test_overview_tour(self):
        """Open the overview, click a figure of a team card, land on its list."""
        admin = self.env.ref("base.user_admin")
        self.env["res.lang"]._activate_lang("en_US")
        admin.lang = "en_US"
        team = self.env["aftersales.team"].create(
            {"name": "Overview Tour Team", "member_ids": [Command.link(admin.id)]}
        )
        stage = self.env["aftersales.stage"].search(
            [("kind", "=", "waiting_parts"), ("team_ids", "=", False)], limit=1
        )
        self.env["aftersales.ticket"].create(
            [
                {
                    "subject": "Overview tour: waiting for a fuser",
                    "team_id": team.id,
                    "stage_id": stage.id,
                },
                {"subject": "Overview tour: just arrived", "team_id": team.id},
            ]
        )
        self.start_tour("/odoo/aftersales", "aftersales_overview_tour", login="admin")
