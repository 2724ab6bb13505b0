from odoo import fields, models


class AftersalesWarrantyClaimDecision(models.TransientModel):
    """A manager rejects a claim or sends it back for more evidence, saying why."""

    _name = "aftersales.warranty.claim.decision"
    _description = "Reject or Send Back a Warranty Claim"

    claim_id = fields.Many2one(
        "aftersales.warranty.claim", required=True, ondelete="cascade"
    )
    decision = fields.Selection(
        [("reject", "Reject"), ("send_back", "Send Back for More Evidence")],
        required=True,
        default="reject",
    )
    reason = fields.Text(required=True)
    customer_responsible = fields.Boolean(
        help="The customer caused the failure: the claim is rejected and the ticket "
        "becomes paid service.",
    )

    def action_confirm(self):
        if self.decision == "reject":
            self.claim_id._reject(self.reason, self.customer_responsible)
        else:
            self.claim_id._send_back(self.reason)
        return {"type": "ir.actions.act_window_close"}
