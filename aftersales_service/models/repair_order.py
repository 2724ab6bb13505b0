from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .aftersales_ticket_warranty import MANAGER_GROUP


class RepairOrder(models.Model):
    """Workshop repair of a ticket, with the carry-in paperwork: pick-up receipt
    (取件单), repair tag (维修卡), supervisor check and hand-back."""

    _inherit = "repair.order"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    aftersales_return_line_id = fields.Many2one(
        "aftersales.return.line",
        string="Return Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    pickup_number = fields.Char(string="Pick-Up Receipt", readonly=True, copy=False)
    pickup_date = fields.Datetime(string="Received On", readonly=True, copy=False)
    pickup_state = fields.Selection(
        [("none", "Not Issued"), ("issued", "Issued"), ("void", "Voided")],
        string="Receipt Status",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    item_condition = fields.Text(
        string="Condition and Accessories",
        help="Appearance and accessories handed in with the item, as written on the "
        "pick-up receipt.",
    )
    check_result = fields.Selection(
        [("pass", "Passed"), ("fail", "Failed")],
        string="Supervisor Check",
        readonly=True,
        copy=False,
        tracking=True,
    )
    check_notes = fields.Text(readonly=True, copy=False)
    check_uid = fields.Many2one(
        "res.users", string="Checked By", readonly=True, copy=False
    )
    check_date = fields.Datetime(string="Checked On", readonly=True, copy=False)
    handback_to = fields.Char(
        string="Collected By", readonly=True, copy=False, tracking=True
    )
    handback_date = fields.Datetime(string="Handed Back On", readonly=True, copy=False)
    handback_uid = fields.Many2one(
        "res.users", string="Handed Back By", readonly=True, copy=False
    )
    repair_hours = fields.Float(
        copy=False,
        help="Actual repair labour time, written on the repair tag.",
    )

    @api.constrains("repair_hours")
    def _check_repair_hours(self):
        if any(repair.repair_hours < 0 for repair in self):
            raise ValidationError(_("Repair hours cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        tickets = self.env["aftersales.ticket"].browse(
            [
                vals["aftersales_ticket_id"]
                for vals in vals_list
                if vals.get("aftersales_ticket_id")
            ]
        )
        by_id = {ticket.id: ticket for ticket in tickets}
        for vals in vals_list:
            ticket = by_id.get(vals.get("aftersales_ticket_id"))
            if not ticket:
                continue
            for field, value in ticket._repair_defaults().items():
                vals.setdefault(field, value)
        repairs = super().create(vals_list)
        for repair in repairs.filtered("aftersales_ticket_id"):
            repair.aftersales_ticket_id._message_log(
                body=_("Repair order %(repair)s created.", repair=repair.name),
            )
        return repairs

    # ------------------------------------------------------------------
    # Work rules
    # ------------------------------------------------------------------

    def action_repair_start(self):
        for repair in self.filtered("aftersales_ticket_id"):
            repair.aftersales_ticket_id._check_work_may_start()
        return super().action_repair_start()

    def action_repair_done(self):
        res = super().action_repair_done()
        self.aftersales_ticket_id._on_repairs_done()
        return res

    # ------------------------------------------------------------------
    # Carry-in paperwork
    # ------------------------------------------------------------------

    def action_issue_pickup_receipt(self):
        for repair in self:
            if repair.pickup_state == "issued":
                raise UserError(
                    _(
                        "Pick-up receipt %(number)s is already issued.",
                        number=repair.pickup_number,
                    )
                )
            if repair.pickup_state == "void":
                raise UserError(
                    _(
                        "The item of %(repair)s has already been handed back.",
                        repair=repair.name,
                    )
                )
            repair.write(
                {
                    "pickup_number": self.env["ir.sequence"].next_by_code(
                        "aftersales.pickup.receipt"
                    ),
                    "pickup_date": fields.Datetime.now(),
                    "pickup_state": "issued",
                }
            )
        # data={} rather than None: XML-RPC cannot carry None to the client.
        return self.env.ref(
            "aftersales_service.action_report_pickup_receipt"
        ).report_action(self, data={})

    def _check_may_supervise(self):
        user = self.env.user
        for repair in self:
            leader = repair.aftersales_ticket_id.team_id.user_id
            if not (user.has_group(MANAGER_GROUP) or user == leader or self.env.su):
                raise UserError(
                    _(
                        "Only the team leader or an After-Sales manager can check "
                        "repair %(repair)s.",
                        repair=repair.name,
                    )
                )

    def _record_check(self, result, notes):
        self._check_may_supervise()
        for repair in self:
            if repair.state != "done":
                raise UserError(
                    _(
                        "Repair %(repair)s must be repaired before it is checked.",
                        repair=repair.name,
                    )
                )
        # The supervisor may have no Inventory rights: the check is theirs to record.
        self.sudo().write(
            {
                "check_result": result,
                "check_notes": notes,
                "check_uid": self.env.uid,
                "check_date": fields.Datetime.now(),
            }
        )

    def _hand_back(self, collected_by, when):
        if not (collected_by or "").strip():
            raise UserError(_("Enter who collected the item."))
        for repair in self:
            if repair.pickup_state != "issued":
                raise UserError(
                    _(
                        "Repair %(repair)s has no valid pick-up receipt to take back.",
                        repair=repair.name,
                    )
                )
            if repair.check_result != "pass":
                raise UserError(
                    _(
                        "Repair %(repair)s cannot be handed back before it passes the "
                        "supervisor check.",
                        repair=repair.name,
                    )
                )
        self.sudo().write(
            {
                "pickup_state": "void",
                "handback_to": collected_by.strip(),
                "handback_date": when,
                "handback_uid": self.env.uid,
            }
        )
        for repair in self.filtered("aftersales_ticket_id"):
            repair.aftersales_ticket_id._message_log(
                body=_(
                    "%(repair)s handed back to %(who)s; pick-up receipt %(number)s "
                    "voided.",
                    repair=repair.name,
                    who=repair.handback_to,
                    number=repair.pickup_number,
                ),
            )

    def action_open_check(self):
        return self._open_wizard("aftersales.repair.check", _("Supervisor Check"))

    def action_open_handback(self):
        return self._open_wizard("aftersales.repair.handback", _("Hand Back"))

    def _open_wizard(self, model, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_repair_id": self.id},
        }
