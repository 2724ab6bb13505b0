from freezegun import freeze_time

from .common import AftersalesCommon


class WarrantyCommon(AftersalesCommon):
    """Policies on company, category and product, and deliveries at known dates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["aftersales.warranty.policy"]
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.company_policy = Policy.create({"name": "Company 6 Months", "duration": 6})
        cls.category_policy = Policy.create({"name": "Electronics", "duration": 12})
        cls.product_policy = Policy.create(
            {"name": "Printer 24 Months", "duration": 24, "start_basis": "installation"}
        )
        cls.company.aftersales_warranty_policy_id = cls.company_policy
        cls.category = cls.env["product.category"].create(
            {"name": "Office Electronics"}
        )
        cls.sub_category = cls.env["product.category"].create(
            {"name": "Printers", "parent_id": cls.category.id}
        )
        cls.category.aftersales_warranty_policy_id = cls.category_policy
        cls.printer = cls.env["product.product"].create(
            {
                "name": "Office Printer OP-9",
                "is_storable": True,
                "tracking": "serial",
                "categ_id": cls.sub_category.id,
                "list_price": 900.0,
            }
        )
        cls.printer_lots = cls.env["stock.lot"].create(
            [
                {"name": f"OP9-{i:03d}", "product_id": cls.printer.id}
                for i in range(1, 6)
            ]
        )
        for lot in cls.printer_lots:
            cls.env["stock.quant"]._update_available_quantity(
                cls.printer, cls.stock_location, 1, lot_id=lot
            )
        # 2026-02-28 18:30 UTC is 2026-03-01 02:30 in Shanghai: delivered on March 1st.
        with freeze_time("2026-02-28 18:30:00"):
            cls.printer_order = cls._sell_and_deliver(
                cls.customer, [(cls.printer, 1, cls.printer_lots[0])]
            )
        cls.printer_delivery = cls.printer_order.picking_ids
        cls.equipment = cls.env["aftersales.equipment"].search(
            [("lot_id", "=", cls.printer_lots[0].id)]
        )

    def _ticket_on(self, received, **values):
        values.setdefault("lot_id", self.printer_lots[0].id)
        values.setdefault("date_received", received)
        return self._new_ticket(**values)
