import logging
import time

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

_logger = logging.getLogger(__name__)

ROOT_MENU = "aftersales_service.aftersales_menu_root"
CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    f".startClickEverywhere('{ROOT_MENU}');"
)
CLICKBOT_SUCCESS = "clickbot test succeeded"
OPEN_RECORDS = (
    "odoo.loader.modules.get("
    "'@aftersales_service/../tests/click_everywhere/open_every_record')"
    f".openEveryRecord('{ROOT_MENU}', 'aftersales_service', '%s');"
)
OPEN_RECORDS_SUCCESS = "aftersales records test succeeded"


@tagged("post_install", "-at_install")
class TestAftersalesClickEverywhere(HttpCase):
    """Every menu and view of the After-Sales app opens without a client error,
    for a manager and for a technician, in English and in Chinese.

    Odoo's clickbot opens every menu of the app the user sees, switches to
    every view type of its action and clicks every filter; then
    static/tests/click_everywhere/open_every_record.js opens, for every action
    of those menus, the Overview's counters, the form of a record (every
    notebook page and smart button), a new record's form and the app's
    Settings section. An error dialog or a console error fails the test.
    """

    # The clickbot may stop on a form (e.g. Settings).
    allow_end_on_form = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env["res.lang"]._activate_lang("zh_CN")
        installed = cls.env["ir.module.module"].search([("state", "=", "installed")])
        cls.env["ir.module.module"]._load_module_terms(
            installed.mapped("name"), ["zh_CN"], overwrite=True
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.technician = new_test_user(
            cls.env,
            login="as_click_technician",
            password="as_click_technician",
            name="Click Technician",
            groups="aftersales_service.group_aftersales_technician",
        )
        for user in cls.admin | cls.technician:
            if "tour_enabled" in user._fields:
                user.tour_enabled = False
        cls._make_data()

    @classmethod
    def _make_data(cls):
        """A record of every model behind the app's menus, on a ticket of the
        technician's team, whether or not demo data exists."""
        env = cls.env
        admin, technician = cls.admin, cls.technician
        team = env["aftersales.team"].create(
            {
                "name": "Click Team",
                "user_id": admin.id,
                "member_ids": [Command.set((admin | technician).ids)],
            }
        )
        customer = env["res.partner"].create(
            {"name": "Click Customer", "is_company": True, "email": "c@example.com"}
        )
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=1
        )
        env["stock.location"].create(
            {
                "name": "Van Click Technician",
                "usage": "internal",
                "location_id": warehouse.view_location_id.id,
                "aftersales_technician_id": technician.id,
            }
        )
        # A delivered serial: an installed base record and something to return.
        product = env["product.product"].create(
            {
                "name": "Click Printer",
                "is_storable": True,
                "tracking": "serial",
                "list_price": 500.0,
            }
        )
        lot = env["stock.lot"].create({"name": "CLICK-0001", "product_id": product.id})
        env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 1, lot_id=lot
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1})
                ],
            }
        )
        order.action_confirm()
        order.picking_ids.move_ids.move_line_ids.lot_id = lot
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()

        # The complaint first: forms open the newest record, and the next
        # ticket is the one everything else hangs on.
        env["aftersales.ticket"].create(
            {
                "subject": "Click: rude on the phone",
                "partner_id": customer.id,
                "team_id": team.id,
                "user_id": technician.id,
                "type_id": env.ref("aftersales_service.ticket_type_complaint").id,
            }
        )
        ticket = env["aftersales.ticket"].create(
            {
                "subject": "Click: printer jams",
                "partner_id": customer.id,
                "team_id": team.id,
                "user_id": technician.id,
                "sale_line_id": order.order_line.id,
                "product_id": product.id,
                "lot_id": lot.id,
            }
        )
        env["aftersales.return.line"].create(
            {
                "ticket_id": ticket.id,
                "sale_line_id": order.order_line.id,
                "lot_id": lot.id,
                "quantity": 1,
                "reason_id": env["aftersales.return.reason"].search([], limit=1).id,
            }
        )
        env["aftersales.visit"].create(
            {"ticket_id": ticket.id, "user_id": technician.id}
        )
        env["repair.order"].with_context(
            **ticket.action_new_repair()["context"]
        ).create({})
        env["aftersales.part.request"].create(
            {
                "ticket_id": ticket.id,
                "user_id": technician.id,
                "line_ids": [Command.create({"product_id": product.id, "quantity": 1})],
            }
        )
        env["aftersales.warranty.claim"].create(
            {"ticket_id": ticket.id, "user_id": technician.id}
        )
        env["aftersales.survey"].create({"ticket_id": ticket.id})
        env["aftersales.followup"].create(
            {
                "ticket_id": ticket.id,
                "partner_id": customer.id,
                "date_planned": fields.Date.today(),
            }
        )
        env["aftersales.capa"].create({"problem": "Paper jams on the LP range"})
        env["aftersales.reward.penalty"].create(
            {
                "ticket_id": ticket.id,
                "user_id": technician.id,
                "reason_id": env.ref(
                    "aftersales_service.penalty_reason_late_arrival"
                ).id,
            }
        )
        today = fields.Date.today()
        env["aftersales.technician.evaluation"].create(
            {
                "user_id": technician.id,
                "date_from": today.replace(day=1),
                "date_to": today,
            }
        )
        env["aftersales.statistics.report"].create({})
        env["aftersales.supplier.recovery"].create(
            {"partner_id": customer.id, "company_id": env.company.id}
        )

    def _click_everywhere(self, user, lang):
        user.lang = lang
        start = time.time()
        self.browser_js(
            "/odoo",
            CLICKBOT,
            "odoo.isReady === true",
            login=user.login,
            timeout=900,
            success_signal=CLICKBOT_SUCCESS,
        )
        self.browser_js(
            "/odoo",
            OPEN_RECORDS % lang,
            "odoo.isReady === true",
            login=user.login,
            timeout=900,
            success_signal=OPEN_RECORDS_SUCCESS,
        )
        _logger.info(
            "Clicked everywhere as %s in %s in %.0f s",
            user.login,
            lang,
            time.time() - start,
        )

    def test_admin_en(self):
        self._click_everywhere(self.admin, "en_US")

    def test_admin_zh(self):
        self._click_everywhere(self.admin, "zh_CN")

    def test_technician_is_only_a_technician(self):
        self.assertTrue(
            self.technician.has_group("aftersales_service.group_aftersales_technician")
        )
        self.assertFalse(
            self.technician.has_group("aftersales_service.group_aftersales_user")
        )

    def test_technician_en(self):
        self._click_everywhere(self.technician, "en_US")

    def test_technician_zh(self):
        self._click_everywhere(self.technician, "zh_CN")
