from odoo import _, fields, models
from odoo.exceptions import UserError


class ResCompany(models.Model):
    """Warranty claim settings. The numbers that come from the claim forms of
    the seeds keep the seeds' value as their default."""

    _inherit = "res.company"

    aftersales_claim_auto_propose = fields.Boolean(
        string="Propose Warranty Claims",
        default=True,
        help="When a visit or a workshop repair of an in-warranty ticket is "
        "completed with parts replaced, a draft warranty claim is proposed.",
    )
    aftersales_claim_min_photos = fields.Integer(
        string="Photos Required per Claim",
        default=5,
        help="A warranty claim is submitted with at least this many photos "
        "(nameplate, failed part, new part installed...). The replacement request "
        "form asks for 5.",
    )
    aftersales_claim_hold_days = fields.Integer(
        string="Old Part Holding Days",
        default=30,
        help="Days a failed part held in the local warehouse waits for inspection "
        "before it must be returned or scrapped (old parts are processed monthly).",
    )
    aftersales_claim_hold_location_id = fields.Many2one(
        "stock.location",
        string="Warranty Hold Location",
        domain="[('usage', '=', 'internal'), ('company_id', 'in', [id, False])]",
        help="Where failed parts are held for inspection. Empty: the Warranty Hold "
        "location of the warehouse of the job.",
    )
    aftersales_claim_second_approval_amount = fields.Monetary(
        string="Second Approval Above",
        currency_field="currency_id",
        default=5000.0,
        help="Claims whose total is above this amount need the approval of a "
        "second, different After-Sales manager. Zero: one approval is enough.",
    )
    aftersales_claim_labour_rate = fields.Monetary(
        string="Internal Labour Rate",
        currency_field="currency_id",
        help="Cost of one labour hour on warranty claims. Zero: the cost of the "
        "labour product.",
    )
    aftersales_claim_mileage_rate = fields.Monetary(
        string="Internal Mileage Rate",
        currency_field="currency_id",
        help="Cost of one kilometre on warranty claims. Zero: the cost of the "
        "travel product.",
    )
    aftersales_claim_request_rows = fields.Integer(
        string="Part Rows on the Replacement Request",
        default=5,
        help="Numbered part rows printed on the warranty replacement request, "
        "blank ones included.",
    )
    aftersales_claim_form_rows = fields.Integer(
        string="Part Rows on the Claim Form",
        default=6,
        help="Numbered part rows printed on the claim form, blank ones included.",
    )
    aftersales_claim_form_copies = fields.Integer(
        string="Claim Form Copies",
        default=3,
        help="The claim form is printed in this many copies (finance, service "
        "archive, dealer).",
    )
    aftersales_claim_journal_id = fields.Many2one(
        "account.journal",
        string="Warranty Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
        help="Journal of the warranty cost entries. Empty: the first "
        "miscellaneous journal.",
    )
    aftersales_claim_expense_account_id = fields.Many2one(
        "account.account",
        string="Warranty Expense Account",
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost'))]",
        help="Debited with the cost of every approved claim. Empty: the default "
        "expense account of product categories.",
    )
    aftersales_claim_parts_account_id = fields.Many2one(
        "account.account",
        string="Parts Cost Account",
        help="Credited with the cost of the parts replaced. Empty: the stock output "
        "account of each part's category, which the part's delivery debited.",
    )
    aftersales_claim_labour_account_id = fields.Many2one(
        "account.account",
        string="Labour Cost Account",
        help="Credited with the internal labour cost of approved claims.",
    )
    aftersales_claim_travel_account_id = fields.Many2one(
        "account.account",
        string="Travel and Other Costs Account",
        help="Credited with the travel/mileage and other costs of approved claims.",
    )
    aftersales_claim_recovery_account_id = fields.Many2one(
        "account.account",
        string="Supplier Recovery Account",
        help="Account of the vendor credit note lines that recover claims from "
        "suppliers. Empty: the warranty expense account.",
    )

    def _aftersales_claim_journal(self):
        self.ensure_one()
        journal = self.aftersales_claim_journal_id or self.env[
            "account.journal"
        ].search([("company_id", "=", self.id), ("type", "=", "general")], limit=1)
        if not journal:
            raise UserError(
                _(
                    "Company %(company)s has no miscellaneous journal for warranty "
                    "cost entries: set one in the After-Sales settings.",
                    company=self.name,
                )
            )
        return journal

    def _aftersales_claim_default_account(self, model, fname):
        account_id = self.env["ir.default"]._get(model, fname, company_id=self.id)
        return self.env["account.account"].browse(account_id or [])

    def _aftersales_claim_expense_account(self):
        self.ensure_one()
        return (
            self.aftersales_claim_expense_account_id
            or self._aftersales_claim_default_account(
                "product.category", "property_account_expense_categ_id"
            )
        )

    def _aftersales_claim_recovery_account(self):
        self.ensure_one()
        return (
            self.aftersales_claim_recovery_account_id
            or self._aftersales_claim_expense_account()
        )
