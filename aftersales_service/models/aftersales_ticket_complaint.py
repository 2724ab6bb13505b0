from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

COMPLAINT_CODE = "COMPLAINT"
COMPENSATION_LEVELS = [
    ("none", "No Approval Needed"),
    ("sales_manager", "Sales Manager"),
    ("deputy_gm", "Deputy General Manager"),
    ("gm", "General Manager"),
]
LADDER = ["sales_manager", "deputy_gm", "gm"]


class AftersalesTicket(models.Model):
    """Complaints (投诉): relay through departments with time budgets, a total
    limit, an internal form, a compensation approval ladder, closure only on
    the complainant's confirmation and a re-survey after closure."""

    _inherit = "aftersales.ticket"

    is_complaint = fields.Boolean(
        compute="_compute_is_complaint", store=True, index=True, string="Complaint"
    )
    complaint_category_id = fields.Many2one(
        "aftersales.complaint.category", string="Complaint Category", tracking=True
    )
    complaint_severity = fields.Selection(
        [("high", "High"), ("medium", "Medium"), ("low", "Low")],
        string="Severity",
        tracking=True,
    )
    complaint_user_id = fields.Many2one(
        "res.users",
        string="Technician Concerned",
        index="btree_not_null",
        tracking=True,
        help="The technician the complaint is about; it counts on their scorecard.",
    )
    complaint_origin = fields.Selection(
        [("domestic", "Domestic"), ("foreign", "Foreign")],
        string="Customer Origin",
        compute="_compute_complaint_origin",
        store=True,
        readonly=False,
        tracking=True,
    )
    complaint_date_accepted = fields.Datetime(
        string="Complaint Accepted", copy=False, tracking=True
    )
    complaint_deadline = fields.Datetime(
        string="Complaint Due",
        compute="_compute_complaint_deadline",
        store=True,
    )
    complaint_overdue = fields.Boolean(compute="_compute_complaint_overdue")
    complaint_step_ids = fields.One2many(
        "aftersales.complaint.step", "ticket_id", string="Complaint Steps", copy=False
    )
    complaint_form = fields.Html(
        string="Internal Complaint Form",
        groups="aftersales_service.group_aftersales_user",
        copy=False,
        help="Investigation, responsibility and handling opinions. Internal: never "
        "sent or shown to the customer.",
    )
    compensation_amount = fields.Monetary(
        currency_field="company_currency_id", tracking=True, copy=False
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    compensation_level = fields.Selection(
        COMPENSATION_LEVELS,
        string="Compensation Approved By",
        compute="_compute_compensation_level",
        store=True,
    )
    compensation_approved_level = fields.Selection(
        COMPENSATION_LEVELS,
        string="Approved Up To",
        default="none",
        copy=False,
        readonly=True,
        tracking=True,
    )
    compensation_next_approver_id = fields.Many2one(
        "res.users",
        compute="_compute_compensation_next",
        string="Next Approver",
    )
    compensation_approved = fields.Boolean(compute="_compute_compensation_next")

    @api.depends("type_id.code")
    def _compute_is_complaint(self):
        for ticket in self:
            ticket.is_complaint = ticket.type_id.code == COMPLAINT_CODE

    @api.depends("partner_id.country_id", "company_id.country_id")
    def _compute_complaint_origin(self):
        for ticket in self:
            country = ticket.partner_id.commercial_partner_id.country_id
            home = ticket.company_id.country_id
            ticket.complaint_origin = (
                "foreign" if country and home and country != home else "domestic"
            )

    @api.depends("complaint_date_accepted", "complaint_origin", "is_complaint")
    def _compute_complaint_deadline(self):
        for ticket in self:
            if ticket.is_complaint and ticket.complaint_date_accepted:
                company = ticket.company_id
                days = (
                    company.aftersales_complaint_days_foreign
                    if ticket.complaint_origin == "foreign"
                    else company.aftersales_complaint_days_domestic
                )
                ticket.complaint_deadline = ticket.complaint_date_accepted + timedelta(
                    days=days
                )
            else:
                ticket.complaint_deadline = False

    @api.depends("complaint_deadline", "date_closed")
    def _compute_complaint_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            end = ticket.date_closed or now
            ticket.complaint_overdue = bool(
                ticket.complaint_deadline and end > ticket.complaint_deadline
            )

    @api.depends("compensation_amount", "company_id")
    def _compute_compensation_level(self):
        for ticket in self:
            amount = ticket.compensation_amount
            company = ticket.company_id
            if amount <= 0:
                ticket.compensation_level = "none"
            elif amount <= company.aftersales_compensation_sales_manager_limit:
                ticket.compensation_level = "sales_manager"
            elif amount <= company.aftersales_compensation_deputy_gm_limit:
                ticket.compensation_level = "deputy_gm"
            else:
                ticket.compensation_level = "gm"

    def _compensation_next_level(self):
        self.ensure_one()
        if self.compensation_level == "none":
            return False
        needed = LADDER[: LADDER.index(self.compensation_level) + 1]
        done = (
            LADDER[: LADDER.index(self.compensation_approved_level) + 1]
            if self.compensation_approved_level in LADDER
            else []
        )
        remaining = [level for level in needed if level not in done]
        return remaining[0] if remaining else False

    def _compensation_approver(self, level):
        company = self.company_id
        return {
            "sales_manager": company.aftersales_complaint_sales_manager_id,
            "deputy_gm": company.aftersales_complaint_deputy_gm_id,
            "gm": company.aftersales_complaint_gm_id,
        }.get(level, self.env["res.users"])

    @api.depends("compensation_level", "compensation_approved_level")
    def _compute_compensation_next(self):
        for ticket in self:
            level = ticket._compensation_next_level()
            ticket.compensation_next_approver_id = ticket._compensation_approver(level)
            ticket.compensation_approved = not level

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets.filtered("is_complaint")._complaint_start()
        return tickets

    def write(self, vals):
        if "compensation_amount" in vals:
            # A new amount must be approved again.
            vals = {**vals, "compensation_approved_level": "none"}
        was_complaint = {ticket.id: ticket.is_complaint for ticket in self}
        res = super().write(vals)
        if "type_id" in vals:
            self.filtered(
                lambda t: t.is_complaint and not was_complaint[t.id]
            )._complaint_start()
        return res

    def _complaint_start(self):
        """Accept the complaint and lay out its department steps."""
        departments = self.env["aftersales.complaint.department"].search([])
        for ticket in self.filtered(lambda t: not t.complaint_step_ids):
            now = fields.Datetime.now()
            steps = departments.filtered(
                lambda d, t=ticket: d.company_id
                in (t.company_id, self.env["res.company"])
            )
            foreign = ticket.complaint_origin == "foreign"
            ticket.sudo().write(
                {
                    "complaint_date_accepted": ticket.complaint_date_accepted or now,
                    "complaint_step_ids": [
                        (
                            0,
                            0,
                            {
                                "department_id": dept.id,
                                "sequence": index,
                                "budget_days": dept.budget_foreign
                                if foreign
                                else dept.budget_domestic,
                                "state": "running" if index == 0 else "waiting",
                                "date_start": now if index == 0 else False,
                            },
                        )
                        for index, dept in enumerate(steps)
                    ],
                }
            )

    def action_complaint_next_step(self):
        """The current department has finished: pass the complaint on."""
        now = fields.Datetime.now()
        for ticket in self:
            running = ticket.complaint_step_ids.filtered(lambda s: s.state == "running")
            if not running:
                raise UserError(
                    _(
                        "Complaint %(ticket)s has no step in progress.",
                        ticket=ticket.name,
                    )
                )
            running.write({"state": "done", "date_done": now})
            following = ticket.complaint_step_ids.filtered(
                lambda s: s.state == "waiting"
            ).sorted("sequence")[:1]
            if following:
                following.write({"state": "running", "date_start": now})
        return True

    def action_approve_compensation(self):
        """Approve the compensation at the next level of the ladder, as its approver."""
        for ticket in self:
            level = ticket._compensation_next_level()
            if not level:
                raise UserError(
                    _(
                        "The compensation of %(ticket)s needs no further approval.",
                        ticket=ticket.name,
                    )
                )
            approver = ticket._compensation_approver(level)
            if approver != self.env.user:
                raise UserError(
                    _(
                        "The compensation of %(ticket)s must now be approved by "
                        "%(role)s (%(user)s).",
                        ticket=ticket.name,
                        role=dict(
                            self._fields["compensation_level"]._description_selection(
                                self.env
                            )
                        )[level],
                        user=approver.name or _("not set in the settings"),
                    )
                )
            ticket.sudo().compensation_approved_level = level
            ticket._message_log(
                body=_(
                    "Compensation of %(amount)s approved by %(user)s.",
                    amount=ticket.compensation_amount,
                    user=self.env.user.name,
                ),
            )
        return True

    def _check_can_close(self, vals):
        res = super()._check_can_close(vals)
        if self.is_complaint:
            if not self.compensation_approved:
                raise UserError(
                    _(
                        "The compensation of complaint %(ticket)s is not approved yet.",
                        ticket=self.name,
                    )
                )
            complainants = self.contact_id | self.partner_id
            partner = self.env["res.partner"].browse(
                vals.get("confirmation_partner_id", self.confirmation_partner_id.id)
            )
            confirmed_by = vals.get("confirmed_by", self.confirmed_by) or ""
            if partner:
                own = partner in complainants
            else:
                own = confirmed_by.strip().casefold() in {
                    name.strip().casefold() for name in complainants.mapped("name")
                }
            if not own:
                raise UserError(
                    _(
                        "Complaint %(ticket)s is closed only on the complainant's own "
                        "confirmation (%(names)s).",
                        ticket=self.name,
                        names=", ".join(complainants.mapped("name")),
                    )
                )
        return res

    def _on_feedback_closed(self):
        res = super()._on_feedback_closed()
        followup = self.env["aftersales.followup"]
        vals_list = []
        for ticket in self.filtered("is_complaint"):
            partner = ticket.contact_id or ticket.partner_id
            if not partner:
                continue
            when = fields.Date.context_today(
                ticket, ticket.date_closed
            ) + relativedelta(
                months=ticket.company_id.aftersales_complaint_resurvey_months
            )
            vals_list.append(
                {
                    "ticket_id": ticket.id,
                    "partner_id": partner.id,
                    "company_id": ticket.company_id.id,
                    "kind": "resurvey",
                    "date_planned": when,
                    "date_deadline": when,
                    "user_id": followup._followup_caller(ticket.company_id, ticket).id,
                }
            )
        followup.sudo().create(vals_list)
        return res
