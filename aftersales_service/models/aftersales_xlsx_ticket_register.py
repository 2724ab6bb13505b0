from odoo import _, fields, models
from odoo.tools import SQL

from .aftersales_ticket_sla import (
    TARGETS,
    sla_stop_moment,
    sla_target_status,
    sla_ticket_status,
)
from .aftersales_xlsx_helpers import stream_rows
from .xlsx_writer import XlsxColumn


class AftersalesXlsxTicketRegister(models.AbstractModel):
    """One row per ticket received in the period, streamed from one query."""

    _name = "aftersales.xlsx.ticket.register"
    _inherit = "aftersales.xlsx.report"
    _description = "Ticket Register"
    _xlsx_sequence = 10

    def _register_columns(self, with_invoices, with_claims):
        columns = [
            XlsxColumn("name", _("Ticket"), width=14, total="count"),
            XlsxColumn("subject", _("Subject"), "long", width=36),
            XlsxColumn("partner", _("Customer"), width=26),
            XlsxColumn("product", _("Product"), width=26),
            XlsxColumn("lot", _("Serial Number"), width=16),
            XlsxColumn("type", _("Type")),
            XlsxColumn("channel", _("Channel"), width=12),
            XlsxColumn("priority", _("Priority"), width=10),
            XlsxColumn("fault_level", _("Fault Level")),
            XlsxColumn("service_level", _("Service Level"), width=10),
            XlsxColumn("warranty", _("Warranty")),
            XlsxColumn("service_category", _("Service Category")),
            XlsxColumn("team", _("Team")),
            XlsxColumn("user", _("Technician")),
            XlsxColumn("stage", _("Stage")),
            XlsxColumn("outcome", _("Outcome"), width=12),
            XlsxColumn("received", _("Received"), "datetime"),
            XlsxColumn("first_response", _("First Response"), "datetime"),
            XlsxColumn("onsite", _("On Site"), "datetime"),
            XlsxColumn("resolved", _("Resolved"), "datetime"),
            XlsxColumn("closed", _("Closed"), "datetime"),
            XlsxColumn("sla_policy", _("SLA Policy")),
            XlsxColumn("sla_status", _("SLA Status"), width=12),
            XlsxColumn("response_result", _("Response SLA"), width=10),
            XlsxColumn("onsite_result", _("On-Site SLA"), width=10),
            XlsxColumn("resolution_result", _("Resolution SLA"), width=10),
            XlsxColumn("repeat", _("Repeat Failure"), "bool"),
            XlsxColumn("currency", _("Currency"), width=9),
        ]
        if with_invoices:
            columns += [
                XlsxColumn("invoiced", _("Service Invoiced"), "money", total="sum"),
                XlsxColumn("refunded", _("Refunded"), "money", total="sum"),
            ]
        if with_claims:
            columns += [
                XlsxColumn("claimed", _("Warranty Cost"), "money", total="sum"),
                XlsxColumn("recovered", _("Recovered"), "money", total="sum"),
            ]
        columns.append(
            XlsxColumn("compensation", _("Compensation"), "money", total="sum")
        )
        return columns

    def _xlsx_write(self, book, options):
        with_invoices = self.env["account.move"].has_access("read")
        with_claims = self.env["aftersales.warranty.claim"].has_access("read")
        columns = self._register_columns(with_invoices, with_claims)
        table = book.table(_("Tickets"), columns)
        labels = {
            name: self._xlsx_labels("aftersales.ticket", name)
            for name in (
                "channel",
                "priority",
                "service_level",
                "warranty_state",
                "service_category",
                "stage_kind",
                "sla_status",
                "sla_response_result",
            )
        }
        results = labels["sla_response_result"]
        keys = [column.key for column in columns]
        now = fields.Datetime.now()
        for row in self._register_rows(options, with_invoices, with_claims):
            sla_status = self._sla_status(row, now)
            row["channel"] = labels["channel"].get(row["channel"])
            row["priority"] = labels["priority"].get(row["priority"])
            row["service_level"] = labels["service_level"].get(row["service_level"])
            row["warranty"] = labels["warranty_state"].get(row["warranty"])
            row["service_category"] = labels["service_category"].get(
                row["service_category"]
            )
            row["outcome"] = labels["stage_kind"].get(row["outcome"])
            row["sla_status"] = labels["sla_status"].get(sla_status)
            for key in ("response_result", "onsite_result", "resolution_result"):
                row[key] = results.get(row[key])
            table.add_row([row.get(key) for key in keys])
        table.close()

    @staticmethod
    def _sla_status(row, now):
        """The ticket's SLA status, by the definition of the ticket's badge."""
        stopped = sla_stop_moment(
            row["outcome"], row["resolved"], row["last_stage_update"]
        )
        reached = {
            "response": row["first_response"],
            "onsite": row["onsite"],
            "resolution": row["resolved"],
        }
        return sla_ticket_status(
            [
                sla_target_status(
                    row[f"{target}_deadline"],
                    row[f"{target}_warning"],
                    reached[target],
                    stopped,
                    row["paused"],
                    now,
                )
                for target in TARGETS
            ]
        )

    def _register_rows(self, options, with_invoices, with_claims):
        """Rows as dicts, fetched in batches from a server-side cursor."""
        domain = options._ticket_domain() + options._period_domain("date_received")
        tickets = self.env["aftersales.ticket"]._search(domain)
        sql = self._register_query(tickets.subselect(), with_invoices, with_claims)
        return stream_rows(self.env.cr, sql, f"aftersales_register_{id(self)}")

    def _register_query(self, ticket_ids, with_invoices, with_claims):
        name = self._xlsx_translated
        amounts = [SQL("t.compensation_amount AS compensation")]
        joins = []
        if with_invoices:
            # Paid service: posted invoice lines of the ticket's quotations, in the
            # company's currency; refunds: the return credit notes of the ticket.
            amounts += [
                SQL("inv.amount AS invoiced"),
                SQL("ref.amount AS refunded"),
            ]
            joins += [
                SQL(
                    """
                    LEFT JOIN (
                        SELECT so.aftersales_ticket_id AS ticket_id,
                               -SUM(aml.balance) AS amount
                          FROM account_move_line aml
                          JOIN account_move am ON am.id = aml.move_id
                          JOIN sale_order_line_invoice_rel rel
                            ON rel.invoice_line_id = aml.id
                          JOIN sale_order_line sol ON sol.id = rel.order_line_id
                          JOIN sale_order so ON so.id = sol.order_id
                         WHERE so.aftersales_ticket_id IN %s
                           AND am.state = 'posted'
                           AND am.move_type IN ('out_invoice', 'out_refund')
                           AND aml.display_type = 'product'
                      GROUP BY so.aftersales_ticket_id
                    ) inv ON inv.ticket_id = t.id
                    """,
                    ticket_ids,
                ),
                SQL(
                    """
                    LEFT JOIN (
                        SELECT am.aftersales_ticket_id AS ticket_id,
                               -SUM(am.amount_untaxed_signed) AS amount
                          FROM account_move am
                         WHERE am.aftersales_ticket_id IN %s
                           AND am.state = 'posted'
                           AND am.move_type = 'out_refund'
                      GROUP BY am.aftersales_ticket_id
                    ) ref ON ref.ticket_id = t.id
                    """,
                    ticket_ids,
                ),
            ]
        if with_claims:
            amounts += [
                SQL("clm.claimed AS claimed"),
                SQL("clm.recovered AS recovered"),
            ]
            joins.append(
                SQL(
                    """
                    LEFT JOIN (
                        SELECT c.ticket_id,
                               SUM(c.amount_total) AS claimed,
                               SUM(c.amount_recovered) AS recovered
                          FROM aftersales_warranty_claim c
                         WHERE c.ticket_id IN %s
                           AND c.state IN ('approved', 'settled')
                      GROUP BY c.ticket_id
                    ) clm ON clm.ticket_id = t.id
                    """,
                    ticket_ids,
                )
            )
        return SQL(
            """
            SELECT t.name, t.subject,
                   partner.complete_name AS partner,
                   CASE WHEN pp.default_code IS NOT NULL
                        THEN '[' || pp.default_code || '] ' || %(product)s
                        ELSE %(product)s END AS product,
                   lot.name AS lot,
                   %(type)s AS type,
                   t.channel, t.priority,
                   %(level)s AS fault_level,
                   t.service_level,
                   t.warranty_state AS warranty,
                   t.service_category,
                   %(team)s AS team,
                   tech.name AS user,
                   %(stage)s AS stage,
                   stage.kind AS outcome,
                   t.date_received AS received,
                   t.date_first_response AS first_response,
                   t.date_onsite AS onsite,
                   t.date_resolved AS resolved,
                   t.date_closed AS closed,
                   %(policy)s AS sla_policy,
                   t.sla_response_deadline AS response_deadline,
                   t.sla_onsite_deadline AS onsite_deadline,
                   t.sla_resolution_deadline AS resolution_deadline,
                   t.sla_response_warning AS response_warning,
                   t.sla_onsite_warning AS onsite_warning,
                   t.sla_resolution_warning AS resolution_warning,
                   t.date_last_stage_update AS last_stage_update,
                   stage.sla_pause AS paused,
                   t.sla_response_result AS response_result,
                   t.sla_onsite_result AS onsite_result,
                   t.sla_resolution_result AS resolution_result,
                   t.is_repeat_failure AS repeat,
                   cur.name AS currency,
                   %(amounts)s
              FROM aftersales_ticket t
              JOIN res_company company ON company.id = t.company_id
              JOIN res_currency cur ON cur.id = company.currency_id
              LEFT JOIN res_partner partner ON partner.id = t.partner_id
              LEFT JOIN product_product pp ON pp.id = t.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN stock_lot lot ON lot.id = t.lot_id
              LEFT JOIN aftersales_ticket_type tt ON tt.id = t.type_id
              LEFT JOIN aftersales_fault_level fl ON fl.id = t.fault_level_id
              LEFT JOIN aftersales_team team ON team.id = t.team_id
              LEFT JOIN res_users u ON u.id = t.user_id
              LEFT JOIN res_partner tech ON tech.id = u.partner_id
              LEFT JOIN aftersales_stage stage ON stage.id = t.stage_id
              LEFT JOIN aftersales_sla_policy pol ON pol.id = t.sla_policy_id
              %(joins)s
             WHERE t.id IN %(ids)s
          ORDER BY t.date_received, t.id
            """,
            product=name(SQL("pt.name")),
            type=name(SQL("tt.name")),
            level=name(SQL("fl.name")),
            team=name(SQL("team.name")),
            stage=name(SQL("stage.name")),
            policy=name(SQL("pol.name")),
            amounts=SQL(", ").join(amounts),
            joins=SQL(" ").join(joins),
            ids=ticket_ids,
        )
