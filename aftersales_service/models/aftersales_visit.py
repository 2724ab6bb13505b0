from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .aftersales_ticket_warranty import SERVICE_CATEGORIES

VISIT_STATES = [
    ("planned", "Planned"),
    ("on_site", "On Site"),
    ("done", "Completed"),
    ("cancelled", "Cancelled"),
]


class AftersalesVisit(models.Model):
    """An on-site visit (上门服务) of one or more technicians for a ticket."""

    _name = "aftersales.visit"
    _description = "On-Site Service Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "planned_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Ticket",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(related="ticket_id.partner_id", store=True)
    product_id = fields.Many2one(related="ticket_id.product_id")
    lot_id = fields.Many2one(related="ticket_id.lot_id")
    user_id = fields.Many2one(
        "res.users",
        string="Lead Technician",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    technician_ids = fields.Many2many(
        "res.users",
        "aftersales_visit_technician_rel",
        "visit_id",
        "user_id",
        string="Technicians",
        compute="_compute_technician_ids",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Everyone going on the visit; the lead technician is always one of them.",
    )
    state = fields.Selection(
        VISIT_STATES, default="planned", required=True, tracking=True, index=True
    )
    service_category = fields.Selection(
        SERVICE_CATEGORIES,
        compute="_compute_service_category",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    planned_start = fields.Datetime(
        required=True, default=fields.Datetime.now, tracking=True, index=True
    )
    planned_end = fields.Datetime(
        required=True,
        tracking=True,
        compute="_compute_planned_end",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_arrival = fields.Datetime(string="Arrived", copy=False, tracking=True)
    date_departure = fields.Datetime(string="Left", copy=False, tracking=True)
    duration_hours = fields.Float(
        string="Time On Site (h)", compute="_compute_duration_hours", store=True
    )
    labour_hours = fields.Float(
        compute="_compute_labour_hours",
        store=True,
        readonly=False,
        copy=False,
        help="Hours charged: time on site × technicians, unless corrected (breaks, "
        "waiting time). Invoiced as labour on the service quotation.",
    )
    travel_distance = fields.Float(
        string="Travel Distance (km)",
        copy=False,
        help="Kilometres driven for the visit, invoiced as travel/mileage.",
    )
    address = fields.Char(
        string="Site Address", compute="_compute_address", store=True, readonly=False
    )
    fault_cause = fields.Text()
    work_done = fields.Text()
    part_ids = fields.One2many("aftersales.visit.part", "visit_id", string="Parts Used")
    picking_ids = fields.One2many(
        "stock.picking", "aftersales_visit_id", string="Parts Transfers"
    )
    signature = fields.Image(
        string="Customer Signature", copy=False, attachment=True, max_width=1024
    )
    signed_by = fields.Char(copy=False, tracking=True)
    signed_on = fields.Datetime(copy=False, readonly=True)
    customer_comment = fields.Text(copy=False)
    work_confirmed = fields.Selection(
        [("completed", "Completed"), ("not_completed", "Not Completed")],
        string="Customer Confirms Work",
        copy=False,
    )
    has_overlap = fields.Boolean(
        string="Overlapping",
        compute="_compute_overlap",
        search="_search_has_overlap",
        help="A technician of this visit has another visit planned at the same time.",
    )
    overlap_warning = fields.Char(compute="_compute_overlap")

    @api.depends("user_id")
    def _compute_technician_ids(self):
        for visit in self:
            visit.technician_ids |= visit.user_id

    @api.depends("planned_start")
    def _compute_planned_end(self):
        for visit in self:
            if visit.planned_start and (
                not visit.planned_end or visit.planned_end <= visit.planned_start
            ):
                visit.planned_end = visit.planned_start + timedelta(hours=2)

    @api.depends("ticket_id")
    def _compute_service_category(self):
        for visit in self:
            visit.service_category = visit.ticket_id.service_category or "paid"

    @api.depends("ticket_id")
    def _compute_address(self):
        for visit in self:
            partner = visit.ticket_id.partner_id
            if not visit.address and partner:
                lines = partner._display_address(without_company=True).splitlines()
                visit.address = ", ".join(line for line in lines if line.strip())

    @api.depends("date_arrival", "date_departure")
    def _compute_duration_hours(self):
        for visit in self:
            if visit.date_arrival and visit.date_departure:
                delta = visit.date_departure - visit.date_arrival
                visit.duration_hours = delta.total_seconds() / 3600.0
            else:
                visit.duration_hours = 0.0

    @api.depends("duration_hours", "technician_ids")
    def _compute_labour_hours(self):
        for visit in self:
            visit.labour_hours = round(
                visit.duration_hours * max(len(visit.technician_ids), 1), 2
            )

    @api.constrains("date_arrival", "date_departure")
    def _check_departure_after_arrival(self):
        for visit in self:
            if visit.date_departure and not visit.date_arrival:
                raise ValidationError(
                    _(
                        "Visit %(visit)s: record the arrival before the departure.",
                        visit=visit.name,
                    )
                )
            if visit.date_departure and visit.date_departure <= visit.date_arrival:
                raise ValidationError(
                    _(
                        "Visit %(visit)s: the departure must be after the arrival.",
                        visit=visit.name,
                    )
                )

    @api.constrains("labour_hours", "travel_distance", "planned_start", "planned_end")
    def _check_quantities(self):
        for visit in self:
            if visit.labour_hours < 0:
                raise ValidationError(
                    _(
                        "Visit %(visit)s: labour hours cannot be negative.",
                        visit=visit.name,
                    )
                )
            if visit.travel_distance < 0:
                raise ValidationError(
                    _(
                        "Visit %(visit)s: the travel distance cannot be negative.",
                        visit=visit.name,
                    )
                )
            if visit.planned_end <= visit.planned_start:
                raise ValidationError(
                    _(
                        "Visit %(visit)s: the planned end must be after the start.",
                        visit=visit.name,
                    )
                )

    @api.constrains("user_id", "technician_ids")
    def _check_lead_is_technician(self):
        for visit in self:
            if visit.user_id not in visit.technician_ids:
                raise ValidationError(
                    _(
                        "Visit %(visit)s: the lead technician must be one of its "
                        "technicians.",
                        visit=visit.name,
                    )
                )

    # ------------------------------------------------------------------
    # Overlaps: one grouped query for the whole batch
    # ------------------------------------------------------------------

    def _overlap_pairs(self, visit_ids=None):
        self.env["aftersales.visit"].flush_model(
            ["planned_start", "planned_end", "state", "technician_ids"]
        )
        where = (
            SQL("TRUE") if visit_ids is None else SQL("v1.id IN %s", tuple(visit_ids))
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT v1.id, v2.id
                  FROM aftersales_visit v1
                  JOIN aftersales_visit_technician_rel r1 ON r1.visit_id = v1.id
                  JOIN aftersales_visit_technician_rel r2
                       ON r2.user_id = r1.user_id AND r2.visit_id != v1.id
                  JOIN aftersales_visit v2 ON v2.id = r2.visit_id
                 WHERE %s
                   AND v1.state != 'cancelled' AND v2.state != 'cancelled'
                   AND v2.planned_start < v1.planned_end
                   AND v2.planned_end > v1.planned_start
                """,
                where,
            )
        )
        return self.env.cr.fetchall()

    def _compute_overlap(self):
        real = self.filtered("id")
        others_by_visit = {}
        for visit_id, other_id in real._overlap_pairs(real.ids) if real else []:
            others_by_visit.setdefault(visit_id, []).append(other_id)
        other_ids = {i for ids in others_by_visit.values() for i in ids}
        names = {v.id: v.name for v in self.browse(other_ids).sudo()}
        for visit in self:
            others = others_by_visit.get(visit.id, [])
            visit.has_overlap = bool(others)
            visit.overlap_warning = (
                _(
                    "Overlaps with %(visits)s for the same technician.",
                    visits=", ".join(sorted(names[i] for i in others)),
                )
                if others
                else False
            )

    def _search_has_overlap(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Unsupported search on overlapping visits."))
        ids = list({visit_id for visit_id, _other in self._overlap_pairs()})
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", ids)]

    # ------------------------------------------------------------------
    # Create / write
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("aftersales.visit") or "/"
                )
        visits = super().create(vals_list)
        for visit in visits:
            visit.ticket_id._message_log(
                body=_("On-site visit %(visit)s planned.", visit=visit.name),
            )
        return visits

    def write(self, vals):
        if "signature" in vals:
            vals["signed_on"] = fields.Datetime.now() if vals["signature"] else False
        done = self.filtered(lambda v: v.state == "done")
        locked = set(vals) & {
            "date_arrival",
            "date_departure",
            "labour_hours",
            "travel_distance",
            "signature",
            "ticket_id",
        }
        if done and locked and not self.env.context.get("aftersales_visit_done"):
            raise UserError(
                _(
                    "Visit %(visit)s is completed: its times, distance and signature "
                    "can no longer change.",
                    visit=done[0].name,
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_arrive(self):
        for visit in self:
            if visit.state != "planned":
                raise UserError(
                    _("Visit %(visit)s is not planned any more.", visit=visit.name)
                )
            visit.ticket_id._check_work_may_start()
            visit.write(
                {
                    "state": "on_site",
                    "date_arrival": visit.date_arrival or fields.Datetime.now(),
                }
            )
            visit.ticket_id._on_visit_arrival(visit)
        return True

    def action_complete(self):
        for visit in self:
            if visit.state == "planned":
                visit.action_arrive()
            if visit.state != "on_site":
                raise UserError(
                    _(
                        "Only a visit on site can be completed (%(visit)s).",
                        visit=visit.name,
                    )
                )
            if not visit.date_departure:
                now = fields.Datetime.now()
                if now <= visit.date_arrival:
                    raise UserError(
                        _(
                            "Visit %(visit)s: enter the departure time; it must be "
                            "after the arrival.",
                            visit=visit.name,
                        )
                    )
                visit.date_departure = now
            visit._check_can_complete()
            visit.part_ids._issue_parts()
            visit.with_context(aftersales_visit_done=True).state = "done"
            visit.ticket_id._on_visit_done(visit)
        return True

    def _check_can_complete(self):
        self.ensure_one()
        if self.company_id.aftersales_visit_signature_required and not self.signature:
            raise UserError(
                _(
                    "Visit %(visit)s cannot be completed without the customer's "
                    "signature on the service report.",
                    visit=self.name,
                )
            )
        if self.signature and not self.signed_by:
            raise UserError(
                _(
                    "Visit %(visit)s: enter the name of the person who signed.",
                    visit=self.name,
                )
            )
        missing_old = self.part_ids.filtered(
            lambda p: p.under_warranty and not p.old_part_returned
        )
        if missing_old:
            raise UserError(
                _(
                    "Visit %(visit)s: the old part must be returned for parts replaced "
                    "under warranty (%(parts)s).",
                    visit=self.name,
                    parts=", ".join(missing_old.product_id.mapped("display_name")),
                )
            )

    def action_cancel(self):
        if self.filtered(lambda v: v.state == "done"):
            raise UserError(_("A completed visit cannot be cancelled."))
        self.write({"state": "cancelled"})
        return True

    def action_reset_to_planned(self):
        self.filtered(lambda v: v.state == "cancelled").write({"state": "planned"})
        return True

    def action_view_pickings(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action["domain"] = [("aftersales_visit_id", "in", self.ids)]
        action["context"] = {"create": False}
        return action

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        for visit in self.sudo():
            if visit.state == "done" or visit.picking_ids or visit.cash_amount:
                raise UserError(
                    _(
                        "Visit %(visit)s is on record (completed, parts issued or "
                        "cash collected): it cannot be deleted.",
                        visit=visit.name,
                    )
                )
