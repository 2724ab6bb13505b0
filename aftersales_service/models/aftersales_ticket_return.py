from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .aftersales_return_line import MANAGER_GROUP, USER_GROUP


class AftersalesTicket(models.Model):
    """Returns, exchanges and refunds decided on the ticket; the work itself is
    done by the return lines, pickings, repair orders and credit notes."""

    _inherit = "aftersales.ticket"

    return_line_ids = fields.One2many(
        "aftersales.return.line", "ticket_id", string="Return Lines"
    )
    return_picking_ids = fields.One2many(
        "stock.picking", "aftersales_ticket_id", string="Return Transfers"
    )
    return_picking_count = fields.Integer(compute="_compute_return_counts")
    return_refund_ids = fields.One2many(
        "account.move", "aftersales_ticket_id", string="Credit Notes"
    )
    return_refund_count = fields.Integer(compute="_compute_return_counts")
    return_repair_count = fields.Integer(compute="_compute_return_counts")
    return_to_approve = fields.Boolean(compute="_compute_return_actions")
    return_can_submit = fields.Boolean(compute="_compute_return_actions")
    return_can_receive = fields.Boolean(compute="_compute_return_actions")
    return_can_refund = fields.Boolean(compute="_compute_return_actions")
    return_can_exchange = fields.Boolean(compute="_compute_return_actions")

    @api.depends("return_line_ids")
    def _compute_return_counts(self):
        pickings = dict(
            self.env["stock.picking"]
            .sudo()
            ._read_group(
                [("aftersales_ticket_id", "in", self.ids)],
                ["aftersales_ticket_id"],
                ["__count"],
            )
        )
        refunds = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [("aftersales_ticket_id", "in", self.ids)],
                ["aftersales_ticket_id"],
                ["__count"],
            )
        )
        repair_counts = {}
        for line, count in (
            self.env["repair.order"]
            .sudo()
            ._read_group(
                [("aftersales_return_line_id.ticket_id", "in", self.ids)],
                ["aftersales_return_line_id"],
                ["__count"],
            )
        ):
            # Several return lines of one ticket may each have repairs.
            repair_counts[line.ticket_id] = repair_counts.get(line.ticket_id, 0) + count
        for ticket in self:
            ticket.return_picking_count = pickings.get(ticket._origin, 0)
            ticket.return_refund_count = refunds.get(ticket._origin, 0)
            ticket.return_repair_count = repair_counts.get(ticket._origin, 0)

    @api.depends(
        "return_line_ids.state",
        "return_line_ids.outcome",
        "return_line_ids.no_return",
        "return_line_ids.qty_refunded",
        "return_line_ids.replacement_picking_id",
    )
    def _compute_return_actions(self):
        for ticket in self:
            lines = ticket.return_line_ids
            ticket.return_to_approve = any(line.state == "to_approve" for line in lines)
            ticket.return_can_submit = any(line.state == "draft" for line in lines)
            ticket.return_can_receive = any(
                line.state == "approved" and not line.no_return for line in lines
            )
            ticket.return_can_refund = bool(ticket._refundable_return_lines())
            ticket.return_can_exchange = bool(ticket._exchangeable_return_lines())

    def _refundable_return_lines(self):
        return self.return_line_ids.filtered(
            lambda line: line.outcome == "refund"
            and line.qty_refunded
            < (line.quantity if line.no_return else line.qty_received)
            and (
                (line.no_return and line.state == "approved")
                or (
                    line.state == "inspected"
                    and line.inspection_result != "customer_damage"
                )
            )
        )

    def _exchangeable_return_lines(self):
        return self.return_line_ids.filtered(
            lambda line: line.outcome in ("exchange_same", "exchange_other")
            and line.state == "inspected"
            and line.inspection_result != "customer_damage"
            and not line.replacement_picking_id
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _return_lines_in(self, states, what):
        lines = self.return_line_ids.filtered(lambda line: line.state in states)
        if not lines:
            raise UserError(
                _(
                    "Ticket %(ticket)s has no return lines to %(what)s.",
                    ticket=self[:1].name,
                    what=what,
                )
            )
        return lines

    def action_return_submit(self):
        """Send the draft lines on: those above the approval amount or outside the
        三包 window wait for a manager, the others are approved at once."""
        self.return_line_ids._check_group(USER_GROUP, _("submit returns"))
        lines = self._return_lines_in(("draft",), _("submit"))
        lines._lock_rows()
        lines._check_returnable()
        to_approve = lines.filtered("needs_approval")
        to_approve.write({"state": "to_approve"})
        (lines - to_approve).write({"state": "approved"})
        for ticket in self.filtered(lambda t: to_approve & t.return_line_ids):
            ticket._message_log(
                body=_("Returns wait for a manager's approval."),
            )
        return True

    def action_return_approve(self):
        self.return_line_ids._check_group(MANAGER_GROUP, _("approve returns"))
        lines = self._return_lines_in(("to_approve",), _("approve"))
        lines._lock_rows()
        lines.write(
            {
                "state": "approved",
                "approved_uid": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        for ticket in self:
            ticket._message_log(
                body=_("Returns approved by %(user)s.", user=self.env.user.name),
            )
        return True

    def action_return_receive(self):
        """Create the incoming transfers of the approved lines into quarantine."""
        self.return_line_ids._check_group(USER_GROUP, _("receive returns"))
        lines = self._return_lines_in(("approved",), _("receive")).filtered(
            lambda line: not line.no_return
        )
        if not lines:
            raise UserError(
                _("These returns are refunded without return: nothing to receive.")
            )
        lines._lock_rows()
        lines._check_returnable()
        pickings = lines._create_receipts()
        return self._open_records(pickings, _("Return Receipts"))

    def action_return_refund(self):
        self.return_line_ids._check_group(USER_GROUP, _("refund returns"))
        lines = self._refundable_return_lines()
        if not lines:
            raise UserError(
                _("There is nothing to refund on ticket %(ticket)s.", ticket=self.name)
            )
        credit_notes = lines._create_refunds()
        for ticket in self:
            ticket._message_log(
                body=_(
                    "Credit notes created: %(names)s",
                    names=", ".join(credit_notes.mapped("display_name")),
                ),
            )
        return self._open_records(credit_notes, _("Credit Notes"))

    def action_return_exchange(self):
        self.return_line_ids._check_group(USER_GROUP, _("ship replacements"))
        lines = self._exchangeable_return_lines()
        if not lines:
            raise UserError(
                _(
                    "There is no replacement to ship on ticket %(ticket)s.",
                    ticket=self.name,
                )
            )
        lines._lock_rows()
        lines._ship_replacements()
        return self._open_records(
            lines.replacement_picking_id, _("Replacement Deliveries")
        )

    def _open_records(self, records, name):
        if not records.has_access("read"):
            # Agents without accounting or stock rights stay on the ticket; its
            # chatter names what was created.
            return True
        action = {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": records._name,
            "domain": [("id", "in", records.ids)],
            "view_mode": "list,form",
            "context": {"create": False},
        }
        if len(records) == 1:
            action.update(view_mode="form", res_id=records.id)
        return action

    def action_view_return_pickings(self):
        self.ensure_one()
        return self._open_records(self.return_picking_ids, _("Return Transfers"))

    def action_view_return_refunds(self):
        self.ensure_one()
        return self._open_records(self.return_refund_ids, _("Credit Notes"))

    def action_view_return_repairs(self):
        self.ensure_one()
        repairs = self.env["repair.order"].search(
            [("aftersales_return_line_id.ticket_id", "=", self.id)]
        )
        return self._open_records(repairs, _("Repair Orders"))
