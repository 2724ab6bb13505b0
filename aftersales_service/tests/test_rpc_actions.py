import ast
import inspect
import textwrap
from xmlrpc.client import Fault

from odoo.tests import HttpCase, get_db_name, tagged

MODULE = "odoo.addons.aftersales_service"
PREFIXES = ("action_", "button_")
# /xmlrpc/2 fault codes of a refusal due to the record's state or the user's
# rights (UserError and ValidationError, access denied, AccessError); any other
# code is a crash.
BUSINESS_FAULTS = (2, 3, 4)


def _always_returns_a_value(body):
    """Whether every path through ``body`` ends with ``return <value>`` or raises."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.Return):
        return last.value is not None and not (
            isinstance(last.value, ast.Constant) and last.value.value is None
        )
    if isinstance(last, ast.Raise):
        return True
    if isinstance(last, ast.If):
        return _always_returns_a_value(last.body) and _always_returns_a_value(
            last.orelse
        )
    if isinstance(last, ast.With):
        return _always_returns_a_value(last.body)
    if isinstance(last, ast.Try):
        return _always_returns_a_value(last.body) and all(
            _always_returns_a_value(handler.body) for handler in last.handlers
        )
    return False


def _returns_nothing_somewhere(func_node):
    """A bare ``return`` or ``return None`` in the function itself."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    todo = list(func_node.body)
    while todo:
        node = todo.pop()
        if isinstance(node, nested):
            continue
        if isinstance(node, ast.Return) and (
            node.value is None
            or (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            return True
        todo.extend(ast.iter_child_nodes(node))
    return False


@tagged("post_install", "-at_install")
class TestRpcActions(HttpCase):
    """Every button of the module answers an XML-RPC client: a method returning
    None (or an action holding None) is done on the server but reported as a
    Fault to the client, which then may retry and act twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.team = cls.env.ref("aftersales_service.team_customer_service")

    def _rpc(self, model, method, *args):
        return self.xmlrpc_object.execute_kw(
            get_db_name(), self.admin.id, "admin", model, method, list(args)
        )

    # ------------------------------------------------------------------
    # What the module defines
    # ------------------------------------------------------------------

    def _module_models(self):
        """The module's models and the core models it extends."""
        models = self.env["ir.model"].search([])
        names = [
            model.model
            for model in models
            if "aftersales_service" in (model.modules or "").split(", ")
            and model.model in self.env
        ]
        self.assertIn("aftersales.ticket", names)
        self.assertIn("repair.order", names)
        self.assertIn("sale.order", names)
        return names

    def _module_buttons(self, model_name):
        """{name: function} of the public buttons the module's code defines on
        the model, its own or those it overrides."""
        buttons = {}
        for klass in type(self.env[model_name]).__mro__:
            for name, func in vars(klass).items():
                if (
                    name.startswith(PREFIXES)
                    and inspect.isfunction(func)
                    and func.__module__.startswith(MODULE)
                ):
                    buttons.setdefault(name, func)
        return buttons

    def _creatable(self, Model):
        """Whether a wizard can be created without values, as the settings."""
        defaults = Model.default_get(list(Model._fields))
        return all(
            name in defaults
            for name, field in Model._fields.items()
            if field.required and field.store
        )

    def _all_buttons(self):
        return {
            (model_name, name): func
            for model_name in self._module_models()
            for name, func in self._module_buttons(model_name).items()
        }

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------

    def test_every_button_returns_a_value(self):
        """Statically: no path of a button of the module ends without a value."""
        buttons = self._all_buttons()
        self.assertIn(("aftersales.ticket", "action_start"), buttons)
        self.assertIn(("aftersales.equipment", "action_mark_installed"), buttons)
        self.assertIn(("repair.order", "action_repair_done"), buttons)
        offenders = set()
        for func in set(buttons.values()):
            source = textwrap.dedent(inspect.getsource(func))
            node = ast.parse(source).body[0]
            if not _always_returns_a_value(node.body) or _returns_nothing_somewhere(
                node
            ):
                offenders.add(f"{func.__module__}.{func.__qualname__}")
        self.assertFalse(
            sorted(offenders), "these buttons return None to an RPC client"
        )

    def test_ticket_and_equipment_buttons_over_xmlrpc(self):
        ticket = self.env["aftersales.ticket"].create(
            {"subject": "Printer jams", "team_id": self.team.id}
        )

        def press(method, kind):
            result = self._rpc("aftersales.ticket", method, ticket.ids)
            self.assertIs(result, True, f"{method} answers the client")
            ticket.invalidate_recordset()
            if kind:
                self.assertEqual(ticket.stage_kind, kind, method)

        press("action_assign_to_me", None)
        self.assertEqual(ticket.user_id, self.admin)
        press("action_start", "in_progress")
        press("action_resolve", "resolved")
        press("action_cancel", "cancelled")
        press("action_reopen", "in_progress")

        equipment = self.env["aftersales.equipment"].create(
            {
                "partner_id": self.env.ref("base.res_partner_2").id,
                "product_id": self.env["product.product"].search([], limit=1).id,
            }
        )
        self.assertFalse(equipment.installation_date)
        result = self._rpc(
            "aftersales.equipment", "action_mark_installed", equipment.ids
        )
        self.assertIs(result, True)
        equipment.invalidate_recordset()
        self.assertTrue(equipment.installation_date)

    def test_every_button_over_xmlrpc(self):
        """Press every button of the module on a record over XML-RPC: a business
        refusal is fine, a value the client cannot receive never is."""
        unmarshallable, crashed, pressed = [], [], []
        for (model_name, name), func in sorted(self._all_buttons().items()):
            Model = self.env[model_name]
            if Model._abstract:
                continue
            params = list(inspect.signature(func).parameters.values())[1:]
            if any(
                p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                for p in params
            ):
                continue  # called by code with its arguments, not a button
            is_model_method = getattr(func, "_api", None) == "model"
            args = []
            if not is_model_method:
                record = Model.search([], limit=1)
                if not record and Model._transient and self._creatable(Model):
                    record = Model.create({})
                if not record:
                    continue  # a wizard opened from a record: checked statically
                args = [record.ids]
            label = f"{model_name}.{name}"
            try:
                self._rpc(model_name, name, *args)
            except Fault as fault:
                text = f"{fault.faultCode} {fault.faultString}"
                if "cannot marshal" in text:
                    unmarshallable.append(label)
                elif fault.faultCode not in BUSINESS_FAULTS:
                    crashed.append(f"{label}: {text[:300]}")
            pressed.append(label)
        self.assertIn("aftersales.ticket.action_start", pressed)
        self.assertIn("aftersales.equipment.action_mark_installed", pressed)
        self.assertFalse(unmarshallable, "these buttons answer None to the client")
        self.assertFalse(crashed, "these buttons crash over XML-RPC")
