from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

FOLLOWUP_KINDS = [
    ("first", "First Call"),
    ("second", "Second Call"),
    ("project", "Project Follow-up"),
    ("resurvey", "Complaint Re-survey"),
]


class AftersalesFollowup(models.Model):
    """A follow-up call (回访) to a customer, scheduled as an activity and
    recorded here: reached or not, satisfied, problem solved, new problem."""

    _name = "aftersales.followup"
    _description = "Follow-up Call"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_planned desc, id desc"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        ondelete="cascade",
        index=True,
        check_company=True,
        readonly=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    ticket_user_id = fields.Many2one(
        related="ticket_id.user_id",
        store=True,
        index="btree_not_null",
        string="Ticket Technician",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        FOLLOWUP_KINDS, required=True, default="first", readonly=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Caller",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    date_planned = fields.Date(string="Call From", required=True, tracking=True)
    date_deadline = fields.Date(string="Call Before")
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    reached = fields.Boolean(string="Customer Reached")
    satisfied = fields.Boolean()
    problem_solved = fields.Boolean()
    new_problem = fields.Boolean(string="New Problem Raised")
    new_problem_description = fields.Text()
    new_ticket_id = fields.Many2one(
        "aftersales.ticket", string="New Ticket", readonly=True, copy=False
    )
    notes = fields.Text()
    date_done = fields.Datetime(string="Called On", readonly=True, copy=False)
    survey_id = fields.Many2one(
        "aftersales.survey", compute="_compute_survey_id", string="Survey"
    )

    @api.depends("ticket_id.survey_ids")
    def _compute_survey_id(self):
        for followup in self:
            followup.survey_id = followup.ticket_id.survey_ids[:1]

    @api.depends("partner_id", "ticket_id", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for followup in self:
            followup.display_name = " - ".join(
                filter(
                    None,
                    [
                        kinds.get(followup.kind),
                        followup.ticket_id.name,
                        followup.partner_id.name,
                    ],
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        followups = super().create(vals_list)
        activity_type = self.env.ref(
            "aftersales_service.mail_activity_type_followup_call",
            raise_if_not_found=False,
        )
        for followup in followups:
            followup.activity_schedule(
                activity_type_id=activity_type.id if activity_type else False,
                date_deadline=followup.date_planned,
                summary=followup.display_name,
                user_id=followup.user_id.id or self.env.uid,
            )
        return followups

    def _check_recordable(self):
        for followup in self:
            if followup.state != "planned":
                raise UserError(
                    _(
                        "The follow-up call %(call)s is already recorded.",
                        call=followup.display_name,
                    )
                )
            if followup.new_problem and not followup.new_problem_description:
                raise UserError(_("Describe the new problem the customer raised."))

    def action_done(self):
        """Record the call; a new problem opens a linked ticket."""
        self._check_recordable()
        for followup in self:
            values = {"state": "done", "date_done": fields.Datetime.now()}
            if followup.new_problem and followup.reached:
                values["new_ticket_id"] = followup._create_new_ticket().id
            followup.write(values)
            followup.activity_feedback(
                ["aftersales_service.mail_activity_type_followup_call"],
                feedback=followup.notes or "",
            )
        return True

    def action_cancel(self):
        self.filtered(lambda f: f.state == "planned").write({"state": "cancelled"})
        self.activity_unlink(["aftersales_service.mail_activity_type_followup_call"])
        return True

    def _create_new_ticket(self):
        self.ensure_one()
        ticket = self.ticket_id
        return self.env["aftersales.ticket"].create(
            {
                "subject": _(
                    "Raised during follow-up call: %(problem)s",
                    problem=self.new_problem_description.splitlines()[0][:80],
                ),
                "description": self.new_problem_description,
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "team_id": ticket.team_id.id or False,
                "equipment_id": ticket.equipment_id.id or False,
                "channel": "phone",
                "followup_source_id": self.id,
            }
        )

    def action_open_survey(self):
        self.ensure_one()
        if not self.survey_id:
            raise UserError(_("This call has no satisfaction survey."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.survey",
            "view_mode": "form",
            "res_id": self.survey_id.id,
        }

    def action_open_new_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "view_mode": "form",
            "res_id": self.new_ticket_id.id,
        }

    # Scheduling ---------------------------------------------------------------

    @api.model
    def _followup_caller(self, company, ticket=None):
        return (
            company.aftersales_followup_user_id
            or (ticket and (ticket.team_id.user_id or ticket.user_id))
            or self.env.user
        )

    @api.model
    def _schedule_after_closure(self, tickets):
        vals_list = []
        for ticket in tickets:
            company = ticket.company_id
            closed = fields.Date.context_today(ticket, ticket.date_closed)
            partner = ticket.contact_id or ticket.partner_id
            if not partner:
                continue
            common = {
                "ticket_id": ticket.id,
                "partner_id": partner.id,
                "company_id": company.id,
                "user_id": self._followup_caller(company, ticket).id,
            }
            vals_list.append(
                {
                    **common,
                    "kind": "first",
                    "date_planned": closed
                    + relativedelta(days=company.aftersales_followup_min_days),
                    "date_deadline": closed
                    + relativedelta(days=company.aftersales_followup_max_days),
                }
            )
            if company.aftersales_followup_second_days > 0:
                second = closed + relativedelta(
                    days=company.aftersales_followup_second_days
                )
                vals_list.append(
                    {
                        **common,
                        "kind": "second",
                        "date_planned": second,
                        "date_deadline": second,
                    }
                )
        return self.sudo().create(vals_list)

    @api.model
    def _cron_schedule_project_followups(self):
        """Plan the next recurring call of every project customer that has none."""
        partners = self.env["res.partner"].search(
            [
                ("aftersales_project_followup", "=", True),
                ("aftersales_project_date", "!=", False),
            ]
        )
        if not partners:
            return
        planned = self._read_group(
            [("kind", "=", "project"), ("partner_id", "in", partners.ids)],
            ["partner_id", "state"],
            ["date_planned:max"],
        )
        last = {}
        pending = set()
        for partner, state, date_max in planned:
            if state == "planned":
                pending.add(partner.id)
            if state != "cancelled":
                last[partner.id] = max(date_max, last.get(partner.id, date_max))
        vals_list = []
        for partner in partners.filtered(lambda p: p.id not in pending):
            company = partner.company_id or self.env.company
            next_date = partner._aftersales_next_project_followup(last.get(partner.id))
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "kind": "project",
                    "date_planned": next_date,
                    "date_deadline": next_date,
                    "user_id": (partner.user_id or self._followup_caller(company)).id,
                }
            )
        self.create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        for followup in self:
            if followup.state == "done":
                raise UserError(
                    _(
                        "Follow-up call %(call)s was made: it cannot be deleted.",
                        call=followup.display_name,
                    )
                )
