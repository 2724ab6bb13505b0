from bisect import bisect_right
from datetime import timedelta

from pytz import utc

from odoo import _, api, fields, models
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

TARGETS = ("response", "onsite", "resolution")
TARGET_STATUSES = [
    ("none", "Not Applicable"),
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("met_late", "Met Late"),
]
# The final result of a target, stored for the analyses; empty while it is open.
RESULTS = [
    ("met", "Met"),
    ("late", "Met Late"),
    ("breached", "Breached"),
    ("na", "Not Applicable"),
]
# Results that count in an on-time rate: the target was due and is decided.
MEASURED_RESULTS = ("met", "late", "breached")
RESULT_OF_STATUS = {
    "met": "met",
    "met_late": "late",
    "breached": "breached",
    "none": "na",
}
# The SLA clock stops for good once the ticket reaches one of these.
SLA_STOP_KINDS = ("resolved", "closed", "cancelled")
# Open statuses, least urgent first: a ticket shows its most urgent open target.
OPEN_STATUS_RANK = {"paused": 0, "on_track": 1, "at_risk": 2, "breached": 3}


def sla_target_status(deadline, warning, reached, stopped, paused, now):
    """The status of one SLA target: the single definition behind the ticket's
    badges, its stored results, the overview, the analyses and the workbooks.

    ``reached`` is when the target was reached, ``stopped`` when the ticket was
    resolved or cancelled without reaching it. With ``now`` None, an open target
    has no status yet (False): only final statuses are known without a clock.
    """
    if not deadline:
        return "none"
    if reached:
        return "met" if reached <= deadline else "met_late"
    if stopped:
        # A target the ticket never needed to reach only failed if it was late.
        return "breached" if stopped > deadline else "none"
    if now is None:
        return False
    if paused:
        return "paused"
    if now > deadline:
        return "breached"
    if warning and now >= warning:
        return "at_risk"
    return "on_track"


def sla_stop_moment(stage_kind, date_resolved, date_last_stage_update):
    """When the SLA clock of a ticket stopped for good (resolution or
    cancellation), or None while it runs."""
    if stage_kind in ("resolved", "closed"):
        return date_resolved
    if stage_kind == "cancelled":
        return date_last_stage_update
    return None


def sla_ticket_status(statuses):
    """The ticket's status from its targets': that of its open targets, the most
    urgent first; once none is open, the worst final one."""
    open_statuses = [status for status in statuses if status in OPEN_STATUS_RANK]
    if open_statuses:
        return max(open_statuses, key=OPEN_STATUS_RANK.get)
    return next(
        (s for s in ("breached", "met_late", "met") if s in statuses),
        "none",
    )


# Working time fetched at once for a batch of tickets: enough for the longest usual
# targets; a deadline beyond it falls back to the calendar's own planning.
PLANNING_HORIZON = timedelta(days=60)


class WorkingTimePlanner:
    """Plans hours on calendars for many tickets with one interval fetch per
    calendar, instead of one per ticket and target."""

    def __init__(self, first_start, last_start):
        self.first_start = first_start
        self.last_start = last_start
        self.intervals = {}

    def _intervals(self, calendar):
        if calendar not in self.intervals:
            begin = utc.localize(self.first_start)
            end = utc.localize(self.last_start + PLANNING_HORIZON)
            intervals = [
                (start, stop)
                for start, stop, _meta in calendar._work_intervals_batch(begin, end)[
                    False
                ]
            ]
            self.intervals[calendar] = (intervals, [stop for _start, stop in intervals])
        return self.intervals[calendar]

    def plan(self, calendar, start, hours):
        """Same result as ``calendar.plan_hours(hours, start, compute_leaves=True)``."""
        moment, total = utc.localize(start), hours
        intervals, stops = self._intervals(calendar)
        index = bisect_right(stops, moment)
        for begin, stop in intervals[index:]:
            begin = max(begin, moment)
            available = (stop - begin).total_seconds() / 3600
            if hours <= available:
                return (
                    (begin + timedelta(hours=hours))
                    .astimezone(utc)
                    .replace(tzinfo=None)
                )
            hours -= available
        return calendar.plan_hours(total, start, compute_leaves=True)


class AftersalesTicket(models.Model):
    """SLA deadlines in working hours, paused while waiting, and their status.

    A target applies when the ticket's policy sets hours for it (on-site only
    when the ticket needs on-site service); its clock stops for good when the
    target is reached or the ticket is resolved or cancelled. Every status and
    result comes from ``sla_target_status``.
    """

    _inherit = "aftersales.ticket"

    sla_zone_id = fields.Many2one(
        "aftersales.sla.zone",
        string="Zone",
        compute="_compute_sla_zone_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    sla_policy_id = fields.Many2one(
        "aftersales.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        tracking=True,
    )
    sla_onsite_needed = fields.Boolean(
        string="Needs On-Site Service",
        compute="_compute_sla_onsite_needed",
        store=True,
        help="The on-site target applies only when the ticket type or the SLA "
        "policy asks for on-site service, or a visit is planned.",
    )
    date_onsite = fields.Datetime(
        string="On Site Since",
        copy=False,
        tracking=True,
        help="When the technician arrived at the customer's site.",
    )
    sla_pause_ids = fields.One2many(
        "aftersales.sla.pause", "ticket_id", string="SLA Pauses"
    )
    sla_paused_hours = fields.Float(
        string="Paused Hours", compute="_compute_sla_paused_hours", store=True
    )
    sla_is_paused = fields.Boolean(related="stage_id.sla_pause", string="SLA Paused")
    sla_response_deadline = fields.Datetime(
        string="Respond By", compute="_compute_sla_deadlines", store=True
    )
    sla_onsite_deadline = fields.Datetime(
        string="On Site By", compute="_compute_sla_deadlines", store=True
    )
    sla_resolution_deadline = fields.Datetime(
        string="Resolve By", compute="_compute_sla_deadlines", store=True
    )
    sla_response_warning = fields.Datetime(
        string="Response At Risk From", compute="_compute_sla_deadlines", store=True
    )
    sla_onsite_warning = fields.Datetime(
        string="On Site At Risk From", compute="_compute_sla_deadlines", store=True
    )
    sla_resolution_warning = fields.Datetime(
        string="Resolution At Risk From", compute="_compute_sla_deadlines", store=True
    )
    # The next deadline of a target still open, and its warning: indexed, for the
    # searches on the status and the escalation job. Empty once the clock stopped.
    sla_deadline = fields.Datetime(
        string="SLA Deadline", compute="_compute_sla_next", store=True, index=True
    )
    sla_warning_date = fields.Datetime(
        string="At Risk From", compute="_compute_sla_next", store=True, index=True
    )
    sla_response_status = fields.Selection(
        TARGET_STATUSES, string="Response", compute="_compute_sla_statuses"
    )
    sla_onsite_status = fields.Selection(
        TARGET_STATUSES, string="On Site", compute="_compute_sla_statuses"
    )
    sla_resolution_status = fields.Selection(
        TARGET_STATUSES, string="Resolution", compute="_compute_sla_statuses"
    )
    sla_status = fields.Selection(
        TARGET_STATUSES,
        string="SLA",
        compute="_compute_sla_statuses",
        search="_search_sla_status",
    )
    sla_escalation_level = fields.Integer(
        string="Escalation Level", copy=False, readonly=True, tracking=True
    )
    sla_escalation_id = fields.Many2one(
        "aftersales.sla.escalation", string="Escalated To", copy=False, readonly=True
    )
    sla_escalation_date = fields.Datetime(
        string="Next Escalation",
        compute="_compute_sla_escalation_date",
        store=True,
        index=True,
        copy=False,
    )
    sla_response_result = fields.Selection(
        RESULTS, string="Response Result", compute="_compute_sla_results", store=True
    )
    sla_onsite_result = fields.Selection(
        RESULTS, string="On-Site Result", compute="_compute_sla_results", store=True
    )
    sla_resolution_result = fields.Selection(
        RESULTS, string="Resolution Result", compute="_compute_sla_results", store=True
    )

    # ------------------------------------------------------------------
    # Policy and deadlines
    # ------------------------------------------------------------------

    @api.depends("partner_id", "contact_id")
    def _compute_sla_zone_id(self):
        for ticket in self:
            zone = (
                ticket.contact_id.aftersales_zone_id
                or ticket.partner_id.aftersales_zone_id
            )
            if zone:
                ticket.sla_zone_id = zone

    @api.depends(
        "type_id",
        "fault_level_id",
        "service_level",
        "team_id",
        "partner_id",
        "sla_zone_id",
        "company_id",
    )
    def _compute_sla_policy_id(self):
        policies = self.env["aftersales.sla.policy"].search([])
        for ticket in self:
            ticket.sla_policy_id = next(
                (policy for policy in policies if policy._matches(ticket)), False
            )

    @api.depends(
        "type_id.onsite_service",
        "sla_policy_id.onsite_always",
        "visit_ids.state",
        "date_onsite",
    )
    def _compute_sla_onsite_needed(self):
        for ticket in self:
            ticket.sla_onsite_needed = bool(
                ticket.type_id.onsite_service
                or ticket.sla_policy_id.onsite_always
                or ticket.date_onsite
                or any(visit.state != "cancelled" for visit in ticket.visit_ids)
            )

    @api.depends("sla_pause_ids.paused_hours")
    def _compute_sla_paused_hours(self):
        for ticket in self:
            ticket.sla_paused_hours = sum(ticket.sla_pause_ids.mapped("paused_hours"))

    def _sla_moment(self, policy, hours, planner):
        """When ``hours`` of the policy's time have passed since the ticket came in,
        not counting the time it was paused."""
        self.ensure_one()
        start = self.date_received
        hours += self.sla_paused_hours
        calendar = policy.time_basis == "working" and policy._calendar_for(self)
        if not calendar:
            return start + timedelta(hours=hours)
        return planner.plan(calendar, start, hours)

    def _sla_target_hours(self, target):
        """The hours the policy gives for ``target``; 0 when it does not apply."""
        self.ensure_one()
        if target == "onsite" and not self.sla_onsite_needed:
            return 0
        return self.sla_policy_id[f"{target}_hours"] if self.sla_policy_id else 0

    @api.depends(
        "sla_policy_id.response_hours",
        "sla_policy_id.onsite_hours",
        "sla_policy_id.resolution_hours",
        "sla_policy_id.time_basis",
        "sla_policy_id.resource_calendar_id",
        "sla_policy_id.at_risk_percent",
        "team_id.resource_calendar_id",
        "date_received",
        "sla_paused_hours",
        "sla_onsite_needed",
    )
    def _compute_sla_deadlines(self):
        starts = [t.date_received for t in self if t.sla_policy_id and t.date_received]
        planner = WorkingTimePlanner(
            min(starts, default=None), max(starts, default=None)
        )
        for ticket in self:
            policy = ticket.sla_policy_id
            for target in TARGETS:
                hours = ticket._sla_target_hours(target)
                deadline = warning = False
                if hours:
                    deadline = ticket._sla_moment(policy, hours, planner)
                    warning = ticket._sla_moment(
                        policy, hours * policy.at_risk_percent / 100, planner
                    )
                ticket[f"sla_{target}_deadline"] = deadline
                ticket[f"sla_{target}_warning"] = warning

    def _sla_reached(self, target):
        return {
            "response": self.date_first_response,
            "onsite": self.date_onsite,
            "resolution": self.date_resolved,
        }[target]

    def _sla_target_statuses(self, now):
        """{target: status} by the one definition; ``now`` None gives only the
        final statuses (open targets are False)."""
        self.ensure_one()
        stopped = sla_stop_moment(
            self.stage_kind, self.date_resolved, self.date_last_stage_update
        )
        return {
            target: sla_target_status(
                self[f"sla_{target}_deadline"],
                self[f"sla_{target}_warning"],
                self._sla_reached(target),
                stopped,
                self.stage_id.sla_pause,
                now,
            )
            for target in TARGETS
        }

    @api.depends(
        "sla_response_deadline",
        "sla_onsite_deadline",
        "sla_resolution_deadline",
        "date_first_response",
        "date_onsite",
        "date_resolved",
        "stage_kind",
        "date_last_stage_update",
    )
    def _compute_sla_next(self):
        for ticket in self:
            statuses = ticket._sla_target_statuses(None)
            pending = [
                (ticket[f"sla_{target}_deadline"], ticket[f"sla_{target}_warning"])
                for target, status in statuses.items()
                if status is False
            ]
            ticket.sla_deadline = min((d for d, _w in pending), default=False)
            ticket.sla_warning_date = min((w for _d, w in pending), default=False)

    @api.depends(
        "sla_response_deadline",
        "sla_onsite_deadline",
        "sla_resolution_deadline",
        "date_first_response",
        "date_onsite",
        "date_resolved",
        "stage_kind",
        "date_last_stage_update",
    )
    def _compute_sla_results(self):
        for ticket in self:
            for target, status in ticket._sla_target_statuses(None).items():
                ticket[f"sla_{target}_result"] = RESULT_OF_STATUS.get(status, False)

    @api.depends_context("uid")
    @api.depends(
        "sla_response_deadline",
        "sla_onsite_deadline",
        "sla_resolution_deadline",
        "sla_response_warning",
        "sla_onsite_warning",
        "sla_resolution_warning",
        "date_first_response",
        "date_onsite",
        "date_resolved",
        "stage_id.sla_pause",
        "stage_kind",
        "date_last_stage_update",
    )
    def _compute_sla_statuses(self):
        now = fields.Datetime.now()
        for ticket in self:
            statuses = ticket._sla_target_statuses(now)
            for target, status in statuses.items():
                ticket[f"sla_{target}_status"] = status
            ticket.sla_status = sla_ticket_status(statuses.values())

    def _search_sla_status(self, operator, value):
        """The same statuses as ``_compute_sla_statuses``, as a domain: open
        targets through the stored next deadline, final ones through the
        stored results."""
        if operator not in ("=", "in"):
            raise NotImplementedError(_("Search SLA status with '=' or 'in'."))
        values = [value] if operator == "=" else list(value)
        now = fields.Datetime.now()
        running = [("sla_deadline", "!=", False), ("stage_id.sla_pause", "=", False)]
        finished = [("sla_deadline", "=", False)]

        def any_result(result):
            return expression.OR(
                [[(f"sla_{target}_result", "=", result)] for target in TARGETS]
            )

        def no_result(*results):
            return expression.AND(
                [[(f"sla_{target}_result", "not in", results)] for target in TARGETS]
            )

        domains = {
            "breached": expression.OR(
                [
                    running + [("sla_deadline", "<", now)],
                    finished + any_result("breached"),
                ]
            ),
            "at_risk": running
            + [("sla_deadline", ">=", now), ("sla_warning_date", "<=", now)],
            "on_track": running + [("sla_warning_date", ">", now)],
            "paused": [
                ("sla_deadline", "!=", False),
                ("stage_id.sla_pause", "=", True),
            ],
            "met_late": finished + no_result("breached") + any_result("late"),
            "met": finished + no_result("breached", "late") + any_result("met"),
            "none": finished + no_result("breached", "late", "met"),
        }
        return expression.OR(
            [domains[v] for v in values if v in domains] or [[(0, "=", 1)]]
        )

    # ------------------------------------------------------------------
    # Pauses
    # ------------------------------------------------------------------

    def write(self, vals):
        if not vals.get("stage_id"):
            return super().write(vals)
        new_stage = self.env["aftersales.stage"].browse(vals["stage_id"])
        was_paused = {ticket.id: ticket.stage_id.sla_pause for ticket in self}
        res = super().write(vals)
        now = fields.Datetime.now()
        starting = self.filtered(lambda t: new_stage.sla_pause and not was_paused[t.id])
        ending = self.filtered(lambda t: was_paused[t.id] and not new_stage.sla_pause)
        if starting:
            self.env["aftersales.sla.pause"].create(
                [
                    {
                        "ticket_id": ticket.id,
                        "stage_id": new_stage.id,
                        "date_start": now,
                        "reason": self.env.context.get("aftersales_pause_reason")
                        or new_stage.name,
                    }
                    for ticket in starting
                ]
            )
        if ending:
            ending.sla_pause_ids.filtered(lambda p: not p.date_end)._close(now)
        return res

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------

    def _escalation_ladder(self):
        return self.env["aftersales.sla.escalation"].search([])

    def _escalation_rungs(self, ladder):
        """The rungs of ``ladder`` that apply to this ticket's company."""
        self.ensure_one()
        return ladder.filtered(
            lambda r: not r.company_id or r.company_id == self.company_id
        )

    @api.depends(
        "sla_deadline",
        "sla_warning_date",
        "sla_escalation_level",
        "stage_id.sla_pause",
    )
    def _compute_sla_escalation_date(self):
        ladder = self._escalation_ladder()
        for ticket in self:
            step = False
            # A paused clock or a stopped one (no open target) escalates nothing.
            if ticket.sla_deadline and not ticket.stage_id.sla_pause:
                rungs = ticket._escalation_rungs(ladder)
                level = ticket.sla_escalation_level
                step = rungs[level : level + 1]
            ticket.sla_escalation_date = step._due_date(ticket) if step else False

    @api.model
    def _cron_sla_escalate(self):
        """Climb one rung of the ladder for each ticket whose next rung is due.

        An indexed search finds them, so the cost follows the tickets that need
        action. The rows are locked and read again before acting, so that two
        runs at once (several cron workers) never notify the same rung twice;
        a ticket another run holds is left to that run.
        """
        now = fields.Datetime.now()
        due = self.search([("sla_escalation_date", "<=", now)])
        if not due:
            return True
        self.env.cr.execute(
            SQL(
                "SELECT id FROM aftersales_ticket WHERE id IN %s "
                "FOR NO KEY UPDATE SKIP LOCKED",
                tuple(due.ids),
            )
        )
        locked = self.browse(row[0] for row in self.env.cr.fetchall())
        locked.invalidate_recordset(["sla_escalation_level", "sla_escalation_date"])
        locked.filtered(
            lambda t: t.sla_escalation_date and t.sla_escalation_date <= now
        )._escalate_one_rung()
        return True

    def _escalate_one_rung(self):
        ladder = self._escalation_ladder()
        for ticket in self:
            rungs = ticket._escalation_rungs(ladder)
            level = ticket.sla_escalation_level
            if level >= len(rungs):
                continue
            rung = rungs[level]
            ticket._notify_escalation(rung)
            ticket.write(
                {"sla_escalation_level": level + 1, "sla_escalation_id": rung.id}
            )

    def _sla_next_target(self):
        """The open target whose deadline is the ticket's next one."""
        self.ensure_one()
        return next(
            (
                target
                for target in TARGETS
                if self[f"sla_{target}_deadline"] == self.sla_deadline
                and not self._sla_reached(target)
            ),
            "resolution",
        )

    def _sla_time_zone(self):
        """The company's time zone: its partner's, else its working hours'."""
        self.ensure_one()
        company = self.company_id
        return company.partner_id.tz or company.resource_calendar_id.tz or "UTC"

    def _escalation_message(self, rung, target):
        """The escalation text in the language and time zone of the context."""
        self.ensure_one()
        env = self.env
        tz = env.context.get("tz") or "UTC"
        statuses = dict(self._fields["sla_status"]._description_selection(env))
        target_labels = {
            "response": env._("First response"),
            "onsite": env._("Arrival on site"),
            "resolution": env._("Resolution"),
        }
        deadline = format_datetime(
            env, self[f"sla_{target}_deadline"], tz=tz, dt_format="yyyy-MM-dd HH:mm"
        )
        status = statuses[self[f"sla_{target}_status"]]
        return env._(
            "SLA escalation %(level)s for ticket %(ticket)s. %(target)s: %(status)s "
            "(due by %(deadline)s, %(tz)s).",
            level=rung.with_env(env).name,
            ticket=self.display_name,
            target=target_labels[target],
            status=status,
            deadline=deadline,
            tz=tz,
        )

    def _notify_escalation(self, rung):
        """Post the escalation on the ticket, in the company's language and time
        zone, and give each recipient an activity in their own."""
        self.ensure_one()
        target = self._sla_next_target()
        users = rung._recipients(self)
        company_view = self.with_context(
            lang=self.company_id.partner_id.lang or self.env.lang,
            tz=self._sla_time_zone(),
        )
        # The ladder escalates, not the user who happens to run it: OdooBot writes.
        self.message_post(
            body=company_view._escalation_message(rung, target),
            partner_ids=users.partner_id.ids,
            author_id=self.env.ref("base.partner_root").id,
            subtype_xmlid="mail.mt_note",
            message_type="notification",
        )
        for user in users:
            user_view = self.with_context(
                lang=user.lang or company_view.env.lang,
                tz=user.tz or company_view.env.context["tz"],
            )
            self.activity_schedule(
                activity_type_id=rung.activity_type_id.id,
                summary=user_view.env._(
                    "SLA escalation: %(level)s", level=rung.with_env(user_view.env).name
                ),
                note=user_view._escalation_message(rung, target),
                user_id=user.id,
            )
