from odoo.tests import TransactionCase, tagged

# Models of the module with no company rule, and why. Empty: every model holds
# records of one company, or shared configuration that its rule shows to all.
NO_COMPANY_RULE = {}

# Models hanging off a ticket that technicians may read without a rule of their
# own (following the ticket), and why.
NO_TECHNICIAN_RULE = {
    "aftersales.warranty.extension": "Follows its equipment, not a ticket: the "
    "installed base is read company-wide by the service staff.",
}

# Odoo's models the module links to its tickets and lets technicians read.
LINKED_CORE_MODELS = ("repair.order",)


@tagged("post_install", "-at_install")
class TestModelRules(TransactionCase):
    """Every model of the module is walled by company, and every model hanging
    off a ticket follows the ticket for technicians."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.models = sorted(
            name
            for name in cls.env.registry
            if getattr(cls.env[name], "_original_module", "") == "aftersales_service"
            and not cls.env[name]._transient
            and not cls.env[name]._abstract
        )
        cls.technician_group = cls.env.ref(
            "aftersales_service.group_aftersales_technician"
        )

    def _rules(self, model):
        return (
            self.env["ir.rule"]
            .with_context(active_test=True)
            .search([("model_id.model", "=", model)])
        )

    def test_every_model_has_a_company_rule(self):
        self.assertIn("aftersales.ticket", self.models)
        self.assertIn("aftersales.sla.report", self.models, "SQL views count")
        self.assertNotIn("aftersales.xlsx.export", self.models, "wizards do not")
        missing = []
        for model in self.models:
            rules = self._rules(model).filtered(
                lambda rule: rule["global"]
                and "company_ids" in (rule.domain_force or "")
                and rule.perm_read
                and rule.perm_write
                and rule.perm_create
                and rule.perm_unlink
            )
            if rules:
                self.assertIn("company_id", self.env[model]._fields, model)
                self.assertNotIn(model, NO_COMPANY_RULE, "a reason for nothing")
            elif model not in NO_COMPANY_RULE:
                missing.append(model)
        self.assertFalse(missing, f"models without a company rule: {missing}")

    def _ticket_satellites(self):
        """The module's models reaching a ticket through their many2one fields."""
        linked = {"aftersales.ticket"}
        candidates = set(self.models) | set(LINKED_CORE_MODELS)
        grown = True
        while grown:
            grown = False
            for model in candidates - linked:
                fields = self.env[model]._fields.values()
                if any(
                    f.type == "many2one" and f.store and f.comodel_name in linked
                    for f in fields
                ):
                    linked.add(model)
                    grown = True
        return linked - {"aftersales.ticket"}

    def test_every_satellite_follows_the_ticket(self):
        satellites = self._ticket_satellites()
        for model in ("aftersales.sla.pause", "aftersales.part.request.line"):
            self.assertIn(model, satellites)
        missing = []
        for model in sorted(satellites):
            readable = (
                self.env["ir.model.access"]
                .search(
                    [
                        ("model_id.model", "=", model),
                        ("group_id", "=", self.technician_group.id),
                        ("perm_read", "=", True),
                    ]
                )
                .exists()
            )
            own_rule = self._rules(model).filtered(
                lambda rule: self.technician_group in rule.groups
            )
            if readable and not own_rule and model not in NO_TECHNICIAN_RULE:
                missing.append(model)
        self.assertFalse(missing, f"technicians read these unwalled: {missing}")
