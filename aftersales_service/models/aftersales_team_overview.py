from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .aftersales_stage import OPEN_KINDS
from .aftersales_ticket_sla import SLA_STOP_KINDS

TICKET_ACTION = "aftersales_service.aftersales_ticket_action"
RETURN_ACTION = "aftersales_service.aftersales_return_line_action"
CLAIM_ACTION = "aftersales_service.aftersales_warranty_claim_action"
SURVEY_ACTION = "aftersales_service.aftersales_survey_action"
# A claim waits for a decision in this state, before its first approval or, above
# the company's limit, between the first and the second one.
CLAIM_AWAITING_APPROVAL = "submitted"
# Goods are in quarantine and nobody has inspected them yet.
RETURN_AWAITING_INSPECTION = "received"


class AftersalesTeam(models.Model):
    """The management overview on the team dashboard: every figure of every team
    comes from one grouped query per figure, made as the current user so that
    record rules decide what is counted, and every figure opens the records it
    counts (the same domain)."""

    _inherit = "aftersales.team"

    overview_stage_counts = fields.Json(
        compute="_compute_overview",
        string="Open Tickets per Stage Meaning",
        help="Open tickets per stage meaning (new, assigned, in progress...).",
    )
    overview_fault_levels = fields.Json(
        compute="_compute_overview",
        string="Open Tickets per Fault Level",
        help="Open tickets per fault level, most serious level first.",
    )
    overview_sla_at_risk_count = fields.Integer(
        compute="_compute_overview", string="SLA at Risk"
    )
    overview_sla_breached_count = fields.Integer(
        compute="_compute_overview", string="SLA Breached"
    )
    overview_survey_count = fields.Integer(
        compute="_compute_overview", string="Surveys Answered This Month"
    )
    overview_satisfaction_rate = fields.Float(
        compute="_compute_overview",
        string="Satisfaction This Month (%)",
        help="Share of this month's answered surveys rated satisfied on every "
        "criterion, as on the technician scorecards.",
    )
    overview_closed_count = fields.Integer(
        compute="_compute_overview", string="Closed This Month"
    )
    overview_first_time_fix_rate = fields.Float(
        compute="_compute_overview",
        string="First-time Fix Rate This Month (%)",
        help="Share of the tickets closed this month that did not fail again "
        "within the repeat-failure window, as on the technician scorecards.",
    )
    overview_return_inspection_count = fields.Integer(
        compute="_compute_overview", string="Returns Awaiting Inspection"
    )
    overview_claim_approval_count = fields.Integer(
        compute="_compute_overview", string="Claims Awaiting Approval"
    )

    # ------------------------------------------------------------------
    # What each figure counts
    # ------------------------------------------------------------------

    @api.model
    def _overview_month(self):
        """This month in the user's time zone, as UTC bounds [start, stop)."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        first = fields.Date.context_today(self).replace(day=1)
        bounds = []
        for day in (first, first + relativedelta(months=1)):
            local = tz.localize(datetime.combine(day, time.min))
            bounds.append(local.astimezone(pytz.utc).replace(tzinfo=None))
        return tuple(bounds)

    @api.model
    def _overview_domains(self):
        """Per figure: (model, field leading to the team, domain without the team).

        The figures and the lists they open are both built from these domains."""
        start, stop = self._overview_month()
        return {
            "open": (
                "aftersales.ticket",
                "team_id",
                [("stage_kind", "in", OPEN_KINDS)],
            ),
            # Tickets still being worked on whose next target is at risk or
            # breached; a resolved ticket's past breach is history, not an alarm.
            "sla_at_risk": (
                "aftersales.ticket",
                "team_id",
                [
                    ("stage_kind", "not in", SLA_STOP_KINDS),
                    ("sla_status", "=", "at_risk"),
                ],
            ),
            "sla_breached": (
                "aftersales.ticket",
                "team_id",
                [
                    ("stage_kind", "not in", SLA_STOP_KINDS),
                    ("sla_status", "=", "breached"),
                ],
            ),
            "surveys": (
                "aftersales.survey",
                "team_id",
                [
                    ("state", "=", "answered"),
                    ("date_answered", ">=", start),
                    ("date_answered", "<", stop),
                ],
            ),
            # The same population as the scorecards' first-time-fix rate: tickets
            # closed in the period; those with a later repeat failure were not fixed.
            "closed": (
                "aftersales.ticket",
                "team_id",
                [
                    ("stage_kind", "=", "closed"),
                    ("date_closed", ">=", start),
                    ("date_closed", "<", stop),
                ],
            ),
            "returns": (
                "aftersales.return.line",
                "team_id",
                [("state", "=", RETURN_AWAITING_INSPECTION)],
            ),
            "claims": (
                "aftersales.warranty.claim",
                "team_id",
                [("state", "=", CLAIM_AWAITING_APPROVAL)],
            ),
        }

    def _overview_groups(self, domains, key, groupby):
        """One grouped query, as the current user, of figure ``key`` for all
        teams of ``self``; nothing when the user may not read the model."""
        model_name, team_field, domain = domains[key]
        model = self.env[model_name]
        if not self or not model.has_access("read"):
            return []
        return model._read_group(
            [(team_field, "in", self.ids), *domain],
            [team_field, *groupby],
            ["__count"],
        )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    @api.depends_context("uid", "tz", "allowed_company_ids")
    def _compute_overview(self):
        domains = self._overview_domains()
        figures = {
            team.id: {
                "stages": dict.fromkeys(OPEN_KINDS, 0),
                "levels": {},
                "sla_at_risk": 0,
                "sla_breached": 0,
                "surveys": 0,
                "satisfied": 0,
                "closed": 0,
                "repeats": 0,
                "returns": 0,
                "claims": 0,
            }
            for team in self
        }
        levels = self.env["aftersales.fault.level"]
        for team, kind, level, count in self._overview_groups(
            domains, "open", ["stage_kind", "fault_level_id"]
        ):
            figure = figures[team.id]
            figure["stages"][kind] += count
            figure["levels"][level] = figure["levels"].get(level, 0) + count
            levels |= level
        for key in ("sla_at_risk", "sla_breached", "returns", "claims"):
            for team, count in self._overview_groups(domains, key, []):
                figures[team.id][key] = count
        for team, satisfied, count in self._overview_groups(
            domains, "surveys", ["is_satisfied"]
        ):
            figures[team.id]["surveys"] += count
            if satisfied:
                figures[team.id]["satisfied"] += count
        for team, has_repeat, count in self._overview_groups(
            domains, "closed", ["has_repeat"]
        ):
            figures[team.id]["closed"] += count
            if has_repeat:
                figures[team.id]["repeats"] += count

        # Most serious level first; tickets without a level come last.
        ordered_levels = levels.sorted(lambda lvl: (lvl.level, lvl.id))
        for team in self:
            figure = figures[team.id]
            team.overview_stage_counts = figure["stages"]
            team.overview_fault_levels = [
                {
                    "id": level.id,
                    "name": level.name,
                    "color": level.color,
                    "count": figure["levels"][level],
                }
                for level in ordered_levels
                if figure["levels"].get(level)
            ] + (
                [
                    {
                        "id": False,
                        "name": self.env._("No Fault Level"),
                        "color": 0,
                        "count": figure["levels"][levels.browse()],
                    }
                ]
                if figure["levels"].get(levels.browse())
                else []
            )
            team.overview_sla_at_risk_count = figure["sla_at_risk"]
            team.overview_sla_breached_count = figure["sla_breached"]
            team.overview_survey_count = figure["surveys"]
            # Rates in %, as on the scorecards; without data the view shows a dash.
            team.overview_satisfaction_rate = (
                100.0 * figure["satisfied"] / figure["surveys"]
                if figure["surveys"]
                else 0.0
            )
            team.overview_closed_count = figure["closed"]
            team.overview_first_time_fix_rate = (
                100.0 * (figure["closed"] - figure["repeats"]) / figure["closed"]
                if figure["closed"]
                else 0.0
            )
            team.overview_return_inspection_count = figure["returns"]
            team.overview_claim_approval_count = figure["claims"]

    # ------------------------------------------------------------------
    # The lists behind the figures
    # ------------------------------------------------------------------

    def _overview_action(self, key, name, xmlid, extra_domain=(), context=None):
        """The list of the records figure ``key`` counts for this team."""
        self.ensure_one()
        _model, team_field, domain = self._overview_domains()[key]
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        views = action.get("views") or []
        action.update(
            name=name,
            display_name=name,
            domain=[(team_field, "=", self.id), *domain, *extra_domain],
            # The domain says it all: no default filters of the menu's action.
            context=dict(context or {}),
            views=[v for v in views if v[1] == "list"]
            + [v for v in views if v[1] != "list"],
        )
        return action

    def action_overview_open_stage_kind(self):
        """Open tickets in one stage meaning, given by the button's context."""
        kind = self.env.context.get("overview_stage_kind")
        if kind not in OPEN_KINDS:
            kind = None
        labels = dict(
            self.env["aftersales.stage"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        return self._overview_action(
            "open",
            labels[kind] if kind else self.env._("Open Tickets"),
            TICKET_ACTION,
            extra_domain=[("stage_kind", "=", kind)] if kind else (),
            context={"default_team_id": self.id},
        )

    def action_overview_open_fault_levels(self):
        """Open tickets grouped by fault level: one group per figure of the card."""
        return self._overview_action(
            "open",
            self.env._("Open Tickets by Fault Level"),
            TICKET_ACTION,
            context={"default_team_id": self.id, "group_by": ["fault_level_id"]},
        )

    def action_overview_open_sla_at_risk(self):
        return self._overview_action(
            "sla_at_risk",
            self.env._("SLA at Risk"),
            TICKET_ACTION,
            context={"default_team_id": self.id},
        )

    def action_overview_open_sla_breached(self):
        return self._overview_action(
            "sla_breached",
            self.env._("SLA Breached"),
            TICKET_ACTION,
            context={"default_team_id": self.id},
        )

    def action_overview_open_surveys(self):
        return self._overview_action(
            "surveys",
            self.env._("Surveys Answered This Month"),
            SURVEY_ACTION,
            context={"group_by": ["is_satisfied"]},
        )

    def action_overview_open_closed_tickets(self):
        return self._overview_action(
            "closed",
            self.env._("Tickets Closed This Month"),
            TICKET_ACTION,
            context={"default_team_id": self.id, "group_by": ["has_repeat"]},
        )

    def action_overview_open_returns_to_inspect(self):
        return self._overview_action(
            "returns", self.env._("Returns Awaiting Inspection"), RETURN_ACTION
        )

    def action_overview_open_claims_to_approve(self):
        return self._overview_action(
            "claims", self.env._("Claims Awaiting Approval"), CLAIM_ACTION
        )
