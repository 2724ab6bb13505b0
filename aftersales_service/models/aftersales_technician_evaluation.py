from collections import defaultdict
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .aftersales_ticket_sla import MEASURED_RESULTS as SLA_MEASURED_RESULTS
from .aftersales_ticket_warranty import SERVICE_CATEGORIES

# A job is on time when its resolution target was met; it is measured when
# that result is decided (the SLA's one definition, MEASURED_RESULTS).
SLA_MET_RESULT = "met"

# The counter each figure is a share or an average of. Without it (0) the figure
# has no data: it is stored as 0, as a Float cannot be empty, and shown as no
# data; it stays out of the weighted score and of the averages of the analysis.
FIGURE_BASES = {
    "on_time_rate": "sla_measured",
    "first_time_fix_rate": "jobs_closed",
    "satisfaction_rate": "survey_count",
    "complaint_rate": "jobs_closed",
    "avg_rating": "survey_count",
    "avg_attitude": "survey_count",
    "avg_skill": "survey_count",
    "avg_timeliness": "survey_count",
    "avg_promise": "survey_count",
}

# The rates of the weighted score: (rate, weight field on the company, lower is
# better). A rate where lower is better scores 100 - rate.
SCORED_RATES = (
    ("on_time_rate", "aftersales_eval_weight_on_time", False),
    ("satisfaction_rate", "aftersales_eval_weight_satisfaction", False),
    ("first_time_fix_rate", "aftersales_eval_weight_first_time_fix", False),
    ("complaint_rate", "aftersales_eval_weight_complaint", True),
)


class AftersalesTechnicianEvaluation(models.Model):
    """The monthly scorecard (考核) of one technician."""

    _name = "aftersales.technician.evaluation"
    _description = "Technician Scorecard"
    _inherit = ["mail.thread"]
    _order = "date_from desc, user_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users", string="Technician", required=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    team_leader_ids = fields.Many2many(
        "res.users",
        "aftersales_evaluation_leader_rel",
        "evaluation_id",
        "user_id",
        string="Supervisors",
        help="Leaders of the technician's teams: they review the scorecard.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("reviewed", "Reviewed"), ("approved", "Approved")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    supervisor_comment = fields.Text()
    manager_comment = fields.Text()
    reviewed_by_id = fields.Many2one("res.users", readonly=True)
    approved_by_id = fields.Many2one("res.users", readonly=True)

    jobs_closed = fields.Integer(readonly=True)
    sla_measured = fields.Integer(string="Jobs with SLA", readonly=True)
    sla_met = fields.Integer(string="Jobs on Time", readonly=True)
    on_time_rate = fields.Float(
        string="On-time Rate (%)", readonly=True, aggregator="avg"
    )
    first_time_fix_rate = fields.Float(
        string="First-time Fix Rate (%)", readonly=True, aggregator="avg"
    )
    repeat_repairs = fields.Integer(readonly=True)
    survey_count = fields.Integer(string="Surveys Answered", readonly=True)
    satisfied_count = fields.Integer(string="Satisfied Answers", readonly=True)
    satisfaction_rate = fields.Float(
        string="Satisfaction Rate (%)", readonly=True, aggregator="avg"
    )
    avg_rating = fields.Float(string="Overall Rating", readonly=True, aggregator="avg")
    avg_attitude = fields.Float(
        string="Service Attitude", readonly=True, aggregator="avg"
    )
    avg_skill = fields.Float(string="Technical Skill", readonly=True, aggregator="avg")
    avg_timeliness = fields.Float(string="Timeliness", readonly=True, aggregator="avg")
    avg_promise = fields.Float(string="Promise Kept", readonly=True, aggregator="avg")
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    complaint_rate = fields.Float(
        string="Complaint Rate (%)", readonly=True, aggregator="avg"
    )
    followups_done = fields.Integer(string="Follow-ups Done", readonly=True)
    paid_revenue = fields.Monetary(
        string="Paid-service Revenue", currency_field="currency_id", readonly=True
    )
    reward_total = fields.Monetary(
        string="Rewards", currency_field="currency_id", readonly=True
    )
    penalty_total = fields.Monetary(
        string="Penalties", currency_field="currency_id", readonly=True
    )
    hours_ids = fields.One2many(
        "aftersales.technician.evaluation.hours",
        "evaluation_id",
        string="Hours per Service Category",
        readonly=True,
    )
    score = fields.Float(string="Weighted Score", readonly=True, aggregator="avg")
    grade = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")], readonly=True, index=True
    )

    _sql_constraints = [
        (
            "technician_period_unique",
            "UNIQUE(user_id, company_id, date_from)",
            "A technician has one scorecard per period.",
        ),
    ]

    @api.depends("user_id", "date_from")
    def _compute_name(self):
        for card in self:
            card.name = _(
                "%(technician)s - %(period)s",
                technician=card.user_id.name or "",
                period=card.date_from and card.date_from.strftime("%Y-%m") or "",
            )

    # Creation -------------------------------------------------------------

    @api.model
    def _technicians(self, company):
        group = self.env.ref("aftersales_service.group_aftersales_technician")
        return self.env["res.users"].search(
            [
                ("groups_id", "in", group.id),
                ("share", "=", False),
                ("company_ids", "in", company.id),
            ]
        )

    @api.model
    def _generate(self, date_from, company=None, users=None):
        """Scorecards of ``users`` (default: every technician) for the month
        starting ``date_from``; existing draft ones are recomputed."""
        company = company or self.env.company
        date_from = date_from.replace(day=1)
        date_to = date_from + relativedelta(months=1, days=-1)
        users = users if users is not None else self._technicians(company)
        existing = self.search(
            [
                ("company_id", "=", company.id),
                ("date_from", "=", date_from),
                ("user_id", "in", users.ids),
            ]
        )
        have = set(existing.user_id.ids)
        teams = self.env["aftersales.team"].search(
            [("company_id", "=", company.id), ("user_id", "!=", False)]
        )
        leaders = defaultdict(lambda: self.env["res.users"])
        for team in teams:
            for member in team.member_ids:
                leaders[member.id] |= team.user_id
        new = self.create(
            [
                {
                    "user_id": user.id,
                    "company_id": company.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "team_leader_ids": [(6, 0, leaders[user.id].ids)],
                }
                for user in users
                if user.id not in have
            ]
        )
        cards = existing.filtered(lambda c: c.state == "draft") | new
        cards._compute_figures()
        return existing | new

    @api.model
    def _cron_generate_last_month(self):
        first = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        for company in self.env["res.company"].search([]):
            self.with_company(company)._generate(first, company)

    def action_recompute(self):
        if self.filtered(lambda c: c.state != "draft"):
            raise UserError(_("Only draft scorecards can be recomputed."))
        self._compute_figures()
        return True

    # Figures ---------------------------------------------------------------

    def _compute_figures(self):
        """Fill every figure with a few grouped queries per period, whatever the
        number of tickets."""
        by_period = defaultdict(lambda: self.browse())
        for card in self:
            by_period[(card.company_id, card.date_from, card.date_to)] |= card
        for (company, date_from, date_to), cards in by_period.items():
            cards._compute_period_figures(company, date_from, date_to)

    def _compute_period_figures(self, company, date_from, date_to):
        env = self.env
        users = self.user_id
        start = datetime.combine(date_from, time.min)
        stop = datetime.combine(date_to + relativedelta(days=1), time.min)
        company_dom = [("company_id", "=", company.id)]
        figures = defaultdict(lambda: defaultdict(float))

        tickets = env["aftersales.ticket"].sudo().with_context(active_test=False)
        closed_dom = company_dom + [
            ("user_id", "in", users.ids),
            ("stage_kind", "=", "closed"),
            ("date_closed", ">=", start),
            ("date_closed", "<", stop),
        ]
        for user, has_repeat, result, count in tickets._read_group(
            closed_dom,
            ["user_id", "has_repeat", "sla_resolution_result"],
            ["__count"],
        ):
            fig = figures[user.id]
            fig["jobs_closed"] += count
            if has_repeat:
                fig["repeat_repairs"] += count
            if result in SLA_MEASURED_RESULTS:
                fig["sla_measured"] += count
                if result == SLA_MET_RESULT:
                    fig["sla_met"] += count

        surveys = env["aftersales.survey"].sudo()
        for (
            user,
            satisfied,
            count,
            rating,
            att,
            skill,
            timely,
            promise,
        ) in surveys._read_group(
            company_dom
            + [
                ("technician_ids", "in", users.ids),
                ("state", "=", "answered"),
                ("date_answered", ">=", start),
                ("date_answered", "<", stop),
            ],
            ["technician_ids", "is_satisfied"],
            [
                "__count",
                "rating_score:sum",
                "attitude_score:sum",
                "skill_score:sum",
                "timeliness_score:sum",
                "promise_score:sum",
            ],
        ):
            fig = figures[user.id]
            fig["survey_count"] += count
            if satisfied:
                fig["satisfied_count"] += count
            fig["sum_rating"] += rating
            fig["sum_attitude"] += att
            fig["sum_skill"] += skill
            fig["sum_timeliness"] += timely
            fig["sum_promise"] += promise

        for user, count in tickets._read_group(
            company_dom
            + [
                ("complaint_user_id", "in", users.ids),
                ("is_complaint", "=", True),
                ("date_received", ">=", start),
                ("date_received", "<", stop),
            ],
            ["complaint_user_id"],
            ["__count"],
        ):
            figures[user.id]["complaint_count"] += count

        for user, count in (
            env["aftersales.followup"]
            .sudo()
            ._read_group(
                company_dom
                + [
                    ("ticket_user_id", "in", users.ids),
                    ("state", "=", "done"),
                    ("date_done", ">=", start),
                    ("date_done", "<", stop),
                ],
                ["ticket_user_id"],
                ["__count"],
            )
        ):
            figures[user.id]["followups_done"] += count

        for user, amount in (
            env["sale.order"]
            .sudo()
            ._read_group(
                company_dom
                + [
                    ("aftersales_technician_id", "in", users.ids),
                    ("state", "=", "sale"),
                    ("date_order", ">=", start),
                    ("date_order", "<", stop),
                ],
                ["aftersales_technician_id"],
                ["amount_untaxed:sum"],
            )
        ):
            figures[user.id]["paid_revenue"] += amount

        for user, entry_type, amount in (
            env["aftersales.reward.penalty"]
            .sudo()
            ._read_group(
                company_dom
                + [
                    ("user_id", "in", users.ids),
                    ("state", "=", "confirmed"),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                ["user_id", "entry_type"],
                ["amount:sum"],
            )
        ):
            figures[user.id][f"{entry_type}_total"] += amount

        hours = defaultdict(dict)
        for user, category, labour in (
            env["aftersales.visit"]
            .sudo()
            ._read_group(
                company_dom
                + [
                    ("technician_ids", "in", users.ids),
                    ("state", "=", "done"),
                    ("date_departure", ">=", start),
                    ("date_departure", "<", stop),
                ],
                ["technician_ids", "service_category"],
                ["labour_hours:sum"],
            )
        ):
            hours[user.id][category] = labour

        for card in self:
            fig = figures[card.user_id.id]
            values = card._figures_to_values(fig, company)
            values["hours_ids"] = [(5, 0, 0)] + [
                (0, 0, {"service_category": category, "hours": value})
                for category, value in sorted(hours[card.user_id.id].items())
                if category
            ]
            card.sudo().write(values)

    @api.model
    def _figures_to_values(self, fig, company):
        """The stored values of one scorecard from its summed counters.

        A rate or average is only computed on a counter above 0 (see
        FIGURE_BASES); without it it is stored as 0 and means no data.
        """

        def ratio(part, whole, factor=100.0):
            return round(factor * part / whole, 2) if whole else None

        jobs = int(fig["jobs_closed"])
        surveys = int(fig["survey_count"])
        figures = {
            "on_time_rate": ratio(fig["sla_met"], fig["sla_measured"]),
            "first_time_fix_rate": ratio(jobs - fig["repeat_repairs"], jobs),
            "satisfaction_rate": ratio(fig["satisfied_count"], surveys),
            "complaint_rate": ratio(fig["complaint_count"], jobs),
            "avg_rating": ratio(fig["sum_rating"], surveys, 1.0),
            "avg_attitude": ratio(fig["sum_attitude"], surveys, 1.0),
            "avg_skill": ratio(fig["sum_skill"], surveys, 1.0),
            "avg_timeliness": ratio(fig["sum_timeliness"], surveys, 1.0),
            "avg_promise": ratio(fig["sum_promise"], surveys, 1.0),
        }
        score, grade = self._score_and_grade(figures, company)
        values = {
            "jobs_closed": jobs,
            "sla_measured": int(fig["sla_measured"]),
            "sla_met": int(fig["sla_met"]),
            "repeat_repairs": int(fig["repeat_repairs"]),
            "survey_count": surveys,
            "satisfied_count": int(fig["satisfied_count"]),
            "complaint_count": int(fig["complaint_count"]),
            "followups_done": int(fig["followups_done"]),
            "paid_revenue": fig["paid_revenue"],
            "reward_total": fig["reward_total"],
            "penalty_total": fig["penalty_total"],
            "score": score if score is not None else 0.0,
            "grade": grade,
        }
        values.update(
            (name, value if value is not None else 0.0)
            for name, value in figures.items()
        )
        return values

    @api.model
    def _score_and_grade(self, figures, company):
        """(score, grade) of the rates ``figures`` (None: no data), or
        (None, False) when no weighted rate has data.

        The score is the weighted average of the rates that have data, the
        weights of the others being shared out; a rate where lower is better
        scores 100 - rate (at least 0). The grade follows the score: D under the grade C
        threshold, C under the grade B one; a rate scoring under the grade C
        threshold is a failing figure that the average does not hide, and
        allows C at best; A needs every target that has data met.
        """
        parts = {}
        total = 0.0
        for rate, weight_field, lower_is_better in SCORED_RATES:
            value, weight = figures[rate], company[weight_field]
            if value is None or weight <= 0:
                continue
            # A rate can pass 100 % (two complaints about one job): no part under 0.
            part = max(0.0, 100.0 - value) if lower_is_better else value
            parts[rate] = (part, weight)
            total += weight
        if not total:
            return None, False
        score = round(sum(part * weight for part, weight in parts.values()) / total, 2)
        failing = any(
            part < company.aftersales_eval_grade_c for part, _weight in parts.values()
        )
        on_time, satisfaction, complaint = (
            figures[rate]
            for rate in ("on_time_rate", "satisfaction_rate", "complaint_rate")
        )
        targets_met = (
            (on_time is None or on_time >= company.aftersales_eval_on_time_target)
            and (
                satisfaction is None
                or satisfaction >= company.aftersales_eval_satisfaction_target
            )
            and (
                complaint is None
                or complaint < company.aftersales_eval_complaint_target
            )
        )
        if score < company.aftersales_eval_grade_c:
            grade = "d"
        elif score < company.aftersales_eval_grade_b or failing:
            grade = "c"
        elif targets_met:
            grade = "a"
        else:
            grade = "b"
        return score, grade

    # Analysis ---------------------------------------------------------------

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """Averages that scorecards without data do not drag (pivot, graph,
        grouped list): a rate or survey average is weighted by its counter, so
        that the average of a rate is the rate of the summed counters, as in
        the Technician KPI workbook; the score is averaged over the scored
        scorecards. Without any data the average is empty."""
        fname, _sep, func = aggregate_spec.partition(":")
        if func == "avg" and fname in FIGURE_BASES:
            value = self._field_to_sql(self._table, fname, query)
            base = self._field_to_sql(self._table, FIGURE_BASES[fname], query)
            return SQL("SUM(%s * %s) / NULLIF(SUM(%s), 0)", value, base, base)
        if func == "avg" and fname == "score":
            return SQL(
                "AVG(%s) FILTER (WHERE %s IS NOT NULL)",
                self._field_to_sql(self._table, "score", query),
                self._field_to_sql(self._table, "grade", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    # Workflow ---------------------------------------------------------------

    def action_review(self):
        for card in self:
            if card.state != "draft":
                raise UserError(_("Only a draft scorecard can be reviewed."))
            if (
                self.env.user not in card.team_leader_ids
                and not self.env.user.has_group(
                    "aftersales_service.group_aftersales_manager"
                )
            ):
                raise AccessError(
                    _(
                        "Only the technician's team leader reviews scorecard %(card)s.",
                        card=card.name,
                    )
                )
        self.sudo().write({"state": "reviewed", "reviewed_by_id": self.env.user.id})
        return True

    def action_approve(self):
        if not self.env.user.has_group("aftersales_service.group_aftersales_manager"):
            raise AccessError(_("Only an After-Sales manager approves scorecards."))
        for card in self:
            if card.state != "reviewed":
                raise UserError(
                    _(
                        "Scorecard %(card)s must be reviewed by the supervisor first.",
                        card=card.name,
                    )
                )
        self.write({"state": "approved", "approved_by_id": self.env.user.id})
        return True

    def action_reset_to_draft(self):
        if not self.env.user.has_group("aftersales_service.group_aftersales_manager"):
            raise AccessError(_("Only an After-Sales manager reopens scorecards."))
        self.write({"state": "draft", "reviewed_by_id": False, "approved_by_id": False})
        return True

    def write(self, vals):
        comment_only = set(vals) <= {"supervisor_comment"}
        if comment_only and not self.env.su:
            for card in self:
                if (
                    self.env.user not in card.team_leader_ids
                    and not self.env.user.has_group(
                        "aftersales_service.group_aftersales_manager"
                    )
                ):
                    raise AccessError(_("Only the supervisor comments this scorecard."))
            return super(AftersalesTechnicianEvaluation, self.sudo()).write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        for evaluation in self:
            if evaluation.state == "approved":
                raise UserError(
                    _(
                        "Scorecard %(scorecard)s is approved: it cannot be deleted.",
                        scorecard=evaluation.name,
                    )
                )


class AftersalesTechnicianEvaluationHours(models.Model):
    _name = "aftersales.technician.evaluation.hours"
    _description = "Scorecard Hours per Service Category"
    _order = "service_category"

    evaluation_id = fields.Many2one(
        "aftersales.technician.evaluation",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True)
    service_category = fields.Selection(SERVICE_CATEGORIES)
    hours = fields.Float(string="Labour Hours")
