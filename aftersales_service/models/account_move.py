from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        extension_lines = posted.filtered(
            lambda m: m.move_type == "out_invoice"
        ).line_ids.sale_line_ids.filtered(
            lambda line: line.product_id.aftersales_extension_months > 0
        )
        if extension_lines:
            self.env["aftersales.warranty.extension"].sudo()._extend_from_lines(
                extension_lines
            )
        return posted
