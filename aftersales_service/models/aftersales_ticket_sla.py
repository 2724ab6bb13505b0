from bisect import bisect_right
from datetime import timedelta

from pytz import utc

from odoo import _, api, fields, models

TARGETS = ("response", "onsite", "resolution")
TARGET_STATUSES = [
    ("none", "No Target"),
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("met_late", "Met Late"),
]
RESULTS = [("met", "Met"), ("late", "Late")]
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
    """SLA deadlines in working hours, paused while waiting, and their status."""

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
    # The next unreached deadline and its warning: indexed, for filters and the job.
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
    # 100 when met, 0 when late, empty while open: their average is the on-time rate.
    sla_response_on_time = fields.Float(
        string="Response On Time (%)",
        compute="_compute_sla_results",
        store=True,
        aggregator="avg",
    )
    sla_onsite_on_time = fields.Float(
        string="On Site On Time (%)",
        compute="_compute_sla_results",
        store=True,
        aggregator="avg",
    )
    sla_resolution_on_time = fields.Float(
        string="Resolution On Time (%)",
        compute="_compute_sla_results",
        store=True,
        aggregator="avg",
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
    )
    def _compute_sla_deadlines(self):
        starts = [t.date_received for t in self if t.sla_policy_id and t.date_received]
        planner = WorkingTimePlanner(
            min(starts, default=None), max(starts, default=None)
        )
        for ticket in self:
            policy = ticket.sla_policy_id
            for target in TARGETS:
                hours = policy[f"{target}_hours"] if policy else 0
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

    @api.depends(
        "sla_response_deadline",
        "sla_onsite_deadline",
        "sla_resolution_deadline",
        "date_first_response",
        "date_onsite",
        "date_resolved",
        "stage_id.sla_pause",
        "stage_kind",
    )
    def _compute_sla_next(self):
        for ticket in self:
            pending = [
                (ticket[f"sla_{target}_deadline"], ticket[f"sla_{target}_warning"])
                for target in TARGETS
                if ticket[f"sla_{target}_deadline"] and not ticket._sla_reached(target)
            ]
            # The clock stops while paused, and for done tickets.
            if ticket.stage_id.sla_pause or ticket.stage_kind in (
                "closed",
                "cancelled",
            ):
                pending = []
            ticket.sla_deadline = min((d for d, _w in pending), default=False)
            ticket.sla_warning_date = min((w for _d, w in pending), default=False)

    @api.depends(
        "sla_response_deadline",
        "sla_onsite_deadline",
        "sla_resolution_deadline",
        "date_first_response",
        "date_onsite",
        "date_resolved",
    )
    def _compute_sla_results(self):
        for ticket in self:
            for target in TARGETS:
                deadline, reached = (
                    ticket[f"sla_{target}_deadline"],
                    ticket._sla_reached(target),
                )
                result = on_time = False
                if deadline and reached:
                    result = "met" if reached <= deadline else "late"
                    on_time = 100.0 if result == "met" else 0.0
                ticket[f"sla_{target}_result"] = result
                ticket[f"sla_{target}_on_time"] = on_time

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
    )
    def _compute_sla_statuses(self):
        now = fields.Datetime.now()
        rank = {key: index for index, (key, _label) in enumerate(TARGET_STATUSES)}
        for ticket in self:
            statuses = {}
            for target in TARGETS:
                deadline = ticket[f"sla_{target}_deadline"]
                warning = ticket[f"sla_{target}_warning"]
                reached = ticket._sla_reached(target)
                if not deadline:
                    status = "none"
                elif reached:
                    status = "met" if reached <= deadline else "met_late"
                elif ticket.stage_id.sla_pause:
                    status = "paused"
                elif now > deadline:
                    status = "breached"
                elif now >= warning:
                    status = "at_risk"
                else:
                    status = "on_track"
                statuses[target] = status
                ticket[f"sla_{target}_status"] = status
            # The ticket shows its most urgent target.
            open_statuses = [
                s
                for s in statuses.values()
                if s in ("on_track", "at_risk", "breached", "paused")
            ]
            if open_statuses:
                ticket.sla_status = max(
                    open_statuses, key=lambda s: rank[s] if s != "paused" else -1
                )
            elif "met_late" in statuses.values():
                ticket.sla_status = "met_late"
            elif "met" in statuses.values():
                ticket.sla_status = "met"
            else:
                ticket.sla_status = "none"

    def _search_sla_status(self, operator, value):
        if operator not in ("=", "in"):
            raise NotImplementedError(_("Search SLA status with '=' or 'in'."))
        values = [value] if operator == "=" else list(value)
        now = fields.Datetime.now()
        domains = []
        if "breached" in values:
            domains.append([("sla_deadline", "<", now)])
        if "at_risk" in values:
            domains.append(
                [("sla_warning_date", "<=", now), ("sla_deadline", ">=", now)]
            )
        if "on_track" in values:
            domains.append([("sla_warning_date", ">", now)])
        if "paused" in values:
            domains.append(
                [("stage_id.sla_pause", "=", True), ("sla_policy_id", "!=", False)]
            )
        if not domains:
            return [("id", "=", 0)]
        result = domains[0]
        for domain in domains[1:]:
            result = ["|", *result, *domain]
        return result

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

    @api.depends("sla_deadline", "sla_warning_date", "sla_escalation_level")
    def _compute_sla_escalation_date(self):
        ladder = self._escalation_ladder()
        for ticket in self:
            rungs = ticket._escalation_rungs(ladder)
            step = rungs[ticket.sla_escalation_level : ticket.sla_escalation_level + 1]
            ticket.sla_escalation_date = step._due_date(ticket) if step else False

    @api.model
    def _cron_sla_escalate(self):
        """Escalate the tickets whose next rung is due; an indexed search finds them,
        so the cost follows the tickets that need action, not the open ones."""
        now = fields.Datetime.now()
        tickets = self.search([("sla_escalation_date", "<=", now)])
        if tickets:
            tickets._escalate(now)
        return True

    def _escalate(self, now):
        ladder = self._escalation_ladder()
        for ticket in self:
            rungs = ticket._escalation_rungs(ladder)
            level = ticket.sla_escalation_level
            while level < len(rungs):
                rung = rungs[level]
                due = rung._due_date(ticket)
                if not due or due > now:
                    break
                ticket._notify_escalation(rung)
                level += 1
            if level != ticket.sla_escalation_level:
                ticket.write(
                    {
                        "sla_escalation_level": level,
                        "sla_escalation_id": rungs[level - 1].id,
                    }
                )

    def _notify_escalation(self, rung):
        self.ensure_one()
        users = rung._recipients(self)
        body = _(
            "SLA escalation %(level)s: ticket %(ticket)s is %(status)s (next deadline "
            "%(deadline)s).",
            level=rung.name,
            ticket=self.name,
            status=self._selection_label("sla_status"),
            deadline=fields.Datetime.to_string(self.sla_deadline),
        )
        # The ladder escalates, not the user who happens to run it: OdooBot writes.
        self.message_post(
            body=body,
            author_id=self.env.ref("base.partner_root").id,
            partner_ids=users.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        for user in users:
            self.activity_schedule(
                activity_type_id=rung.activity_type_id.id,
                summary=_("SLA escalation: %(level)s", level=rung.name),
                note=body,
                user_id=user.id,
            )
