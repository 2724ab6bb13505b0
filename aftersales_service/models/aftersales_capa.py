from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

CAPA_SOURCES = [
    ("ticket", "Service Ticket"),
    ("return", "Return"),
    ("complaint", "Complaint"),
    ("repeat", "Repeated Failures"),
    ("other", "Other"),
]


class AftersalesCapa(models.Model):
    """Corrective and preventive action (纠正和预防措施), 8D style."""

    _name = "aftersales.capa"
    _description = "Corrective and Preventive Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    source = fields.Selection(
        CAPA_SOURCES, required=True, default="ticket", tracking=True
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Ticket", index=True, check_company=True
    )
    return_line_id = fields.Many2one(
        "aftersales.return.line", string="Return Line", check_company=True
    )
    product_id = fields.Many2one("product.product", string="Product", index=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        domain="[('product_id', '=', product_id)]",
    )
    supplier_id = fields.Many2one("res.partner", string="Supplier")
    problem = fields.Text(string="Problem Description", required=True)
    why_1 = fields.Char()
    why_2 = fields.Char()
    why_3 = fields.Char()
    why_4 = fields.Char()
    why_5 = fields.Char()
    root_cause = fields.Text()
    containment = fields.Text(string="Containment Action")
    corrective_action = fields.Text()
    preventive_action = fields.Text()
    user_id = fields.Many2one(
        "res.users", string="Owner", tracking=True, domain="[('share', '=', False)]"
    )
    date_due = fields.Date(string="Due Date", tracking=True)
    effectiveness_check = fields.Text()
    is_effective = fields.Boolean(string="Effective", tracking=True)
    failure_count = fields.Integer(
        string="Failures Counted",
        readonly=True,
        help="Tickets that triggered an automatic CAPA.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("open", "In Progress"),
            ("verify", "Effectiveness Check"),
            ("done", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "aftersales.capa"
                ) or _("New")
        return super().create(vals_list)

    def action_open(self):
        for capa in self:
            if capa.state != "draft":
                raise UserError(_("Only a draft CAPA can be started."))
            if not capa.user_id or not capa.date_due:
                raise UserError(
                    _("CAPA %(capa)s needs an owner and a due date.", capa=capa.name)
                )
        self.write({"state": "open"})
        return True

    def action_to_verify(self):
        for capa in self:
            if capa.state != "open":
                raise UserError(_("Only a CAPA in progress can go to verification."))
            missing = [
                capa._fields[f].get_description(self.env)["string"]
                for f in (
                    "root_cause",
                    "containment",
                    "corrective_action",
                    "preventive_action",
                )
                if not capa[f]
            ]
            if missing:
                raise UserError(
                    _(
                        "Fill in before verification: %(fields)s.",
                        fields=", ".join(missing),
                    )
                )
        self.write({"state": "verify"})
        return True

    def action_done(self):
        for capa in self:
            if capa.state != "verify":
                raise UserError(_("Only a CAPA under verification can be closed."))
            if not capa.effectiveness_check or not capa.is_effective:
                raise UserError(
                    _(
                        "CAPA %(capa)s is closed only once its actions are checked "
                        "and found effective.",
                        capa=capa.name,
                    )
                )
        self.write({"state": "done"})
        return True

    def action_reopen(self):
        self.filtered(lambda c: c.state in ("verify", "done")).write(
            {"state": "open", "is_effective": False}
        )
        return True

    def action_cancel(self):
        self.filtered(lambda c: c.state != "done").write({"state": "cancelled"})
        return True

    @api.model
    def _open_for_repeated_failures(self, tickets):
        """Open a CAPA when one product or lot failed N times within M days."""
        created = self.browse()
        for ticket in tickets.filtered("product_id"):
            company = ticket.company_id
            threshold = company.aftersales_capa_failure_count
            if threshold <= 0:
                continue
            since = ticket.date_received - timedelta(
                days=company.aftersales_capa_window_days
            )
            key = (
                [("lot_id", "=", ticket.lot_id.id)]
                if ticket.lot_id
                else [("product_id", "=", ticket.product_id.id)]
            )
            count = (
                self.env["aftersales.ticket"]
                .sudo()
                .search_count(
                    [
                        ("company_id", "=", company.id),
                        ("date_received", ">=", since),
                        ("date_received", "<=", ticket.date_received),
                    ]
                    + key
                )
            )
            if count < threshold:
                continue
            open_capa = self.sudo().search_count(
                [
                    ("company_id", "=", company.id),
                    ("state", "not in", ("done", "cancelled")),
                ]
                + key,
                limit=1,
            )
            if open_capa:
                continue
            what = ticket.lot_id.display_name or ticket.product_id.display_name
            created |= self.sudo().create(
                {
                    "company_id": company.id,
                    "source": "repeat",
                    "ticket_id": ticket.id,
                    "product_id": ticket.product_id.id,
                    "lot_id": ticket.lot_id.id,
                    "failure_count": count,
                    "problem": _(
                        "%(what)s failed %(count)s times within %(days)s days.",
                        what=what,
                        count=count,
                        days=company.aftersales_capa_window_days,
                    ),
                }
            )
        return created
