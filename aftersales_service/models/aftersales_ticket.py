from calendar import monthrange

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .aftersales_stage import DONE_KINDS, STAGE_KINDS

CHANNELS = [
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("portal", "Portal"),
    ("walk_in", "Walk-in"),
    ("onsite", "On-site"),
    ("letter_fax", "Letter / Fax"),
    ("other", "Other"),
]
PRIORITIES = [
    ("0", "Normal"),
    ("1", "Medium"),
    ("2", "High"),
    ("3", "Urgent"),
]
SERVICE_LEVELS = [
    ("a", "A"),
    ("b", "B"),
    ("c", "C"),
]
SEQUENCE_CODE = "aftersales.ticket"


class AftersalesTicket(models.Model):
    """The service ticket (售后服务单): the spine every after-sales action hangs off.

    Capabilities (origin links, closure, warranty, returns...) extend this model
    from files of their own.
    """

    _name = "aftersales.ticket"
    _description = "Service Ticket"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, date_received desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "subject", "partner_id.name"]

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
        index="trigram",
    )
    subject = fields.Char(required=True, tracking=True, index="trigram")
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        check_company=True,
        domain="[('id', 'child_of', partner_id)]",
        help="The person who reported the problem, if not the customer itself.",
    )
    partner_phone = fields.Char(
        string="Phone",
        compute="_compute_partner_contact_info",
        store=True,
        readonly=False,
    )
    partner_email = fields.Char(
        string="E-mail",
        compute="_compute_partner_contact_info",
        store=True,
        readonly=False,
    )
    channel = fields.Selection(CHANNELS, required=True, default="phone", tracking=True)
    type_id = fields.Many2one(
        "aftersales.ticket.type",
        string="Ticket Type",
        tracking=True,
        check_company=True,
    )
    description = fields.Html(help="The problem as the customer describes it.")
    priority = fields.Selection(PRIORITIES, default="0", index=True, tracking=True)
    fault_level_id = fields.Many2one(
        "aftersales.fault.level",
        string="Fault Level",
        tracking=True,
        check_company=True,
    )
    service_level = fields.Selection(
        SERVICE_LEVELS,
        tracking=True,
        help="Service grade of the customer or contract (A is the highest).",
    )
    team_id = fields.Many2one(
        "aftersales.team",
        string="Team",
        index=True,
        tracking=True,
        check_company=True,
        default=lambda self: self._default_team_id(),
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    tag_ids = fields.Many2many("aftersales.tag", string="Tags")
    stage_id = fields.Many2one(
        "aftersales.stage",
        string="Stage",
        compute="_compute_stage_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
    )
    stage_kind = fields.Selection(
        related="stage_id.kind", store=True, index=True, string="Stage Meaning"
    )
    is_done = fields.Boolean(compute="_compute_is_done", search="_search_is_done")
    date_received = fields.Datetime(
        string="Received", required=True, default=fields.Datetime.now, tracking=True
    )
    date_first_response = fields.Datetime(
        string="First Response", readonly=True, copy=False
    )
    date_resolved = fields.Datetime(string="Resolved", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed", readonly=True, copy=False)
    date_last_stage_update = fields.Datetime(
        string="Last Stage Update",
        readonly=True,
        copy=False,
        default=fields.Datetime.now,
    )

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    @api.model
    def _default_team_id(self):
        company_id = self.env.context.get("default_company_id") or self.env.company.id
        team_model = self.env["aftersales.team"]
        domain = [("company_id", "=", company_id)]
        return team_model.search(
            [*domain, ("member_ids", "in", self.env.uid)], limit=1
        ) or team_model.search(domain, limit=1)

    @api.depends("partner_id", "contact_id")
    def _compute_partner_contact_info(self):
        for ticket in self:
            person = ticket.contact_id or ticket.partner_id
            ticket.partner_phone = (
                person.phone or person.mobile or ticket.partner_id.phone
            )
            ticket.partner_email = person.email or ticket.partner_id.email

    @api.depends("team_id")
    def _compute_stage_id(self):
        all_stages = self.env["aftersales.stage"].search([])
        for ticket in self:
            stages = all_stages._filter_for_team(ticket.team_id)
            if ticket.stage_id and ticket.stage_id in stages:
                continue
            # Keep the ticket's meaning when its team changes; new tickets start as new.
            kind = ticket.stage_id.kind or "new"
            ticket.stage_id = (
                stages.filtered(lambda s, k=kind: s.kind == k)[:1] or stages[:1]
            )

    @api.depends("stage_kind")
    def _compute_is_done(self):
        for ticket in self:
            ticket.is_done = ticket.stage_kind in DONE_KINDS

    def _search_is_done(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Unsupported search on whether a ticket is done."))
        done = (operator == "=") == bool(value)
        return [("stage_kind", "in" if done else "not in", DONE_KINDS)]

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # Show every shared stage and the team's own, even empty ones.
        team_id = self.env.context.get("default_team_id")
        search_domain = [("team_ids", "=", False)]
        if team_id:
            search_domain = expression.OR(
                [search_domain, [("team_ids", "in", team_id)]]
            )
        search_domain = expression.OR([search_domain, [("id", "in", stages.ids)]])
        return stages.search(search_domain, order=stages._order)

    @api.depends("name", "subject")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = (
                f"{ticket.name} {ticket.subject}" if ticket.subject else ticket.name
            )

    # ------------------------------------------------------------------
    # Numbering
    # ------------------------------------------------------------------

    @api.model
    def _get_ticket_sequence(self, company):
        """The company's ticket sequence, copied from the template if missing."""
        sequence_model = self.env["ir.sequence"].sudo()
        sequence = sequence_model.search(
            [("code", "=", SEQUENCE_CODE), ("company_id", "=", company.id)], limit=1
        )
        if not sequence:
            template = self.env.ref(
                "aftersales_service.sequence_aftersales_ticket",
                raise_if_not_found=False,
            )
            values = {
                "name": _("Service Ticket (%(company)s)", company=company.name),
                "code": SEQUENCE_CODE,
                "prefix": "AS%(year)s%(month)s",
                "padding": 4,
                "use_date_range": True,
                "company_id": company.id,
            }
            if template:
                sequence = template.sudo().copy(
                    {
                        "name": values["name"],
                        "code": SEQUENCE_CODE,
                        "company_id": company.id,
                    }
                )
            else:
                sequence = sequence_model.create(values)
        return sequence

    @api.model
    def _next_ticket_number(self, company, when, prepared=None):
        """The next number for a request received ``when``; ``prepared`` remembers
        the sequences and monthly ranges already looked up in a batch."""
        prepared = {} if prepared is None else prepared
        day = fields.Date.context_today(self, when)
        key = (company.id, day.year, day.month)
        if key not in prepared:
            sequence = self._get_ticket_sequence(company)
            if sequence.use_date_range and company.aftersales_number_reset == "monthly":
                self._ensure_month_range(sequence, day)
            prepared[key] = sequence
        sequence = prepared[key]
        # The number carries the month the request was received, not today's.
        return sequence.with_context(ir_sequence_date=day).next_by_id(sequence_date=day)

    @api.model
    def _ensure_month_range(self, sequence, day):
        """A date range per month makes the counter restart every month."""
        ranges = self.env["ir.sequence.date_range"].sudo()
        if ranges.search_count(
            [
                ("sequence_id", "=", sequence.id),
                ("date_from", "<=", day),
                ("date_to", ">=", day),
            ],
            limit=1,
        ):
            return
        ranges.create(
            {
                "sequence_id": sequence.id,
                "date_from": day.replace(day=1),
                "date_to": day.replace(day=monthrange(day.year, day.month)[1]),
                "number_next": 1,
            }
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        prepared = {}
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == _("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                received = fields.Datetime.to_datetime(vals.get("date_received")) or now
                vals["name"] = self._next_ticket_number(company, received, prepared)
            vals.setdefault("date_last_stage_update", now)
        tickets = super().create(vals_list)
        tickets._check_stage_at_creation()
        tickets.filtered("user_id")._advance_when_assigned()
        tickets._stamp_stage_dates()
        return tickets

    def write(self, vals):
        if vals.get("stage_id"):
            new_stage = self.env["aftersales.stage"].browse(vals["stage_id"])
            self._check_stage_move(new_stage, vals)
            vals = {**vals, "date_last_stage_update": fields.Datetime.now()}
            reopened = self.filtered(
                lambda t: t.stage_kind in DONE_KINDS
                and new_stage.kind not in DONE_KINDS
            )
            left_resolved = self.filtered(
                lambda t: t.stage_kind in ("resolved", "closed")
                and new_stage.kind not in ("resolved", "closed")
            )
        else:
            reopened = left_resolved = self.browse()
        res = super().write(vals)
        if reopened:
            reopened._on_reopen()
        if left_resolved:
            left_resolved.write({"date_resolved": False})
        if vals.get("stage_id"):
            self._stamp_stage_dates()
        if vals.get("user_id") and "stage_id" not in vals:
            self._advance_when_assigned()
        return res

    # ------------------------------------------------------------------
    # Stage rules
    # ------------------------------------------------------------------

    def _check_stage_at_creation(self):
        for ticket in self:
            if ticket.stage_kind == "closed":
                raise UserError(
                    _(
                        "Ticket %(ticket)s cannot be created closed: a ticket "
                        "closes only from a resolved stage, once the customer "
                        "has confirmed.",
                        ticket=ticket.name,
                    )
                )
            if ticket.stage_kind == "assigned" and not ticket.user_id:
                raise UserError(
                    _(
                        "Ticket %(ticket)s needs a responsible to be assigned.",
                        ticket=ticket.name,
                    )
                )
        return True

    def _check_stage_move(self, new_stage, vals):
        """Refuse moves that break the ticket's life cycle, naming the ticket."""
        for ticket in self:
            old_kind = ticket.stage_kind
            if ticket.stage_id == new_stage:
                continue
            if new_stage.team_ids and ticket.team_id not in new_stage.team_ids:
                raise UserError(
                    _(
                        "Stage %(stage)s is not used by team %(team)s "
                        "(ticket %(ticket)s).",
                        stage=new_stage.name,
                        team=ticket.team_id.name or _("none"),
                        ticket=ticket.name,
                    )
                )
            if new_stage.kind == "resolved":
                ticket._check_can_resolve(vals)
            if new_stage.kind == "closed":
                ticket._check_can_close(vals)
            if old_kind == "closed" and new_stage.kind == "cancelled":
                raise UserError(
                    _(
                        "Ticket %(ticket)s is closed and cannot be cancelled; "
                        "reopen it first.",
                        ticket=ticket.name,
                    )
                )
            if new_stage.kind == "assigned" and not vals.get("user_id", ticket.user_id):
                raise UserError(
                    _(
                        "Ticket %(ticket)s has no responsible: choose one "
                        "before moving it to %(stage)s.",
                        ticket=ticket.name,
                        stage=new_stage.name,
                    )
                )
        return True

    def _check_can_resolve(self, vals):
        """Resolution rule; the closure capability adds the open work check."""
        self.ensure_one()
        if not vals.get("user_id", self.user_id):
            raise UserError(
                _(
                    "Ticket %(ticket)s has no responsible: choose who resolved it "
                    "before resolving it.",
                    ticket=self.name,
                )
            )
        return True

    def _check_can_close(self, vals):
        """Closure rule; the closure capability refines it (customer confirmation)."""
        self.ensure_one()
        if self.stage_kind != "resolved":
            raise UserError(
                _(
                    "Ticket %(ticket)s can only be closed from a resolved stage "
                    "(it is in %(stage)s).",
                    ticket=self.name,
                    stage=self.stage_id.name,
                )
            )
        return True

    def _stamp_stage_dates(self):
        """Record when a ticket was first answered, resolved and closed."""
        now = fields.Datetime.now()
        for ticket in self:
            values = {}
            # Cancelling a ticket is not answering the customer.
            if (
                ticket.stage_kind not in ("new", "cancelled")
                and not ticket.date_first_response
            ):
                values["date_first_response"] = now
            if ticket.stage_kind in ("resolved", "closed") and not ticket.date_resolved:
                values["date_resolved"] = now
            if ticket.stage_kind == "closed" and not ticket.date_closed:
                values["date_closed"] = now
            if values:
                ticket.write(values)

    def _on_reopen(self):
        """Hook for capabilities that must undo what closure did."""
        self.write({"date_closed": False})
        return True

    def _count_by_ticket(self, model, field="ticket_id"):
        """How many records of ``model`` point at each ticket, in one query."""
        return dict(
            self.env[model]._read_group([(field, "in", self.ids)], [field], ["__count"])
        )

    def _get_stage_of_kind(self, kind):
        self.ensure_one()
        stages = self.env["aftersales.stage"].search([("kind", "=", kind)])
        return stages._filter_for_team(self.team_id)[:1]

    def _advance_when_assigned(self):
        """Giving a new ticket a responsible moves it to the team's assigned stage."""
        for ticket in self.filtered(lambda t: t.stage_kind == "new"):
            stage = ticket._get_stage_of_kind("assigned")
            if stage:
                ticket.stage_id = stage

    def _move_to_kind(self, kind):
        for ticket in self:
            stage = ticket._get_stage_of_kind(kind)
            if not stage:
                raise UserError(
                    _(
                        "There is no stage meaning %(kind)s for team %(team)s. "
                        "Add one in the After-Sales configuration.",
                        kind=dict(STAGE_KINDS)[kind],
                        team=ticket.team_id.name or _("none"),
                    )
                )
            ticket.stage_id = stage

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_assign_to_me(self):
        self.write({"user_id": self.env.uid})
        return True

    def action_start(self):
        self._move_to_kind("in_progress")
        return True

    def action_resolve(self):
        self._move_to_kind("resolved")
        return True

    def action_cancel(self):
        self._move_to_kind("cancelled")
        return True

    def action_reopen(self):
        to_reopen = self.filtered(lambda t: t.stage_kind in DONE_KINDS)
        for ticket in to_reopen:
            kind = "in_progress" if ticket._get_stage_of_kind("in_progress") else "new"
            ticket._move_to_kind(kind)
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        """A ticket that moved stock or money, or that the customer answered, stays
        on record: it is archived, not deleted (its dependants would go with it)."""
        for ticket in self.sudo().with_context(active_test=False):
            history = ticket._history_to_keep()
            if history:
                raise UserError(
                    _(
                        "Ticket %(ticket)s cannot be deleted: it has %(history)s. "
                        "Archive it instead.",
                        ticket=ticket.name,
                        history=", ".join(history),
                    )
                )

    def _history_to_keep(self):
        """What of this ticket's history a deletion would lose, as words."""
        self.ensure_one()
        transfers = self.env["stock.picking"].search_count(
            [
                ("state", "!=", "cancel"),
                "|",
                "|",
                ("aftersales_ticket_id", "=", self.id),
                ("aftersales_visit_id", "in", self.visit_ids.ids),
                ("aftersales_part_request_id", "in", self.part_request_ids.ids),
            ],
            limit=1,
        )
        entries = self.env["aftersales.reward.penalty"].search_count(
            [("ticket_id", "=", self.id), ("state", "=", "confirmed")], limit=1
        )
        checks = [
            (
                self.visit_ids.filtered(lambda v: v.state == "done" or v.cash_amount),
                _("completed visits"),
            ),
            (transfers, _("stock transfers")),
            (
                self.part_request_ids.filtered(lambda r: r.state != "draft"),
                _("submitted spare-part requests"),
            ),
            (
                self.return_line_ids.filtered(
                    lambda r: r.state not in ("draft", "to_approve", "cancel")
                ),
                _("returns under way"),
            ),
            (self.claim_ids, _("warranty claims")),
            (self.sale_order_ids, _("quotations")),
            (self.return_refund_ids, _("credit notes")),
            (
                self.repair_ids.filtered(lambda r: r.state != "cancel"),
                _("repair orders"),
            ),
            (
                self.survey_ids.filtered(lambda s: s.state == "answered"),
                _("answered surveys"),
            ),
            (
                self.followup_ids.filtered(lambda f: f.state == "done"),
                _("follow-up calls made"),
            ),
            (entries, _("confirmed rewards or penalties")),
        ]
        return [label for found, label in checks if found]
