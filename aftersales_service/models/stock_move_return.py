from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_return_line_id = fields.Many2one(
        "aftersales.return.line",
        string="Return Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )

    def _prepare_move_split_vals(self, qty):
        # A backorder's move still belongs to the same return line.
        vals = super()._prepare_move_split_vals(qty)
        if self.aftersales_return_line_id:
            vals["aftersales_return_line_id"] = self.aftersales_return_line_id.id
        return vals

    def _prepare_merge_moves_distinct_fields(self):
        return [
            *super()._prepare_merge_moves_distinct_fields(),
            "aftersales_return_line_id",
        ]

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        self._aftersales_sync_return_lines(moves)
        return moves

    def _action_cancel(self):
        res = super()._action_cancel()
        self._aftersales_sync_return_lines(self)
        return res

    def _aftersales_sync_return_lines(self, moves):
        lines = (self | moves).aftersales_return_line_id
        if lines:
            # Warehouse users validate receipts without access to return lines.
            lines.sudo()._sync_receipt_state()
