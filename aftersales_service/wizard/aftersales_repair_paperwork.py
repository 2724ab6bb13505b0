from odoo import fields, models


class AftersalesRepairCheck(models.TransientModel):
    _name = "aftersales.repair.check"
    _description = "Supervisor Check of a Repair"

    repair_id = fields.Many2one("repair.order", required=True, ondelete="cascade")
    result = fields.Selection(
        [("pass", "Passed"), ("fail", "Failed")], required=True, default="pass"
    )
    notes = fields.Text()

    def action_confirm(self):
        self.repair_id._record_check(self.result, self.notes)
        return {"type": "ir.actions.act_window_close"}


class AftersalesRepairHandback(models.TransientModel):
    _name = "aftersales.repair.handback"
    _description = "Hand a Repaired Item Back"

    repair_id = fields.Many2one("repair.order", required=True, ondelete="cascade")
    collected_by = fields.Char(required=True)
    handback_date = fields.Datetime(
        string="Handed Back On", required=True, default=fields.Datetime.now
    )

    def action_confirm(self):
        self.repair_id._hand_back(self.collected_by, self.handback_date)
        return {"type": "ir.actions.act_window_close"}
