import re
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from lxml import html as lxml_html

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .feedback_common import FeedbackCommon
from .pdf_text import pdf_text
from .warranty_claim_common import PNG, WarrantyClaimCommon

# A printed time with its seconds: 10:30:15 or 10时30分15秒.
SECONDS = re.compile(r"\d{1,2}:\d{2}:\d{2}|\d{1,2}时\d{1,2}分\d{1,2}秒")
A4_POINTS = (595, 842)
CM = 72 / 2.54  # PDF points per centimetre

TITLES = {
    "ticket": ("Service Ticket", "售后服务单"),
    "return_application": ("Return Application", "退货申请单"),
    "return_receipt": ("Return Receipt", "退货入库单"),
    "survey": ("Satisfaction Survey", "满意度调查"),
    "survey_blank": ("Satisfaction Survey", "满意度调查"),
    "complaint": ("Internal Complaint Form", "内部投诉处理表"),
    "capa": ("8D Report", "8D报告"),
    "evaluation": ("Technician Scorecard", "技术员考核表"),
    "service_report": ("Service Report", "服务报告单"),
    "pickup_receipt": ("Pick-Up Receipt", "取件单"),
    "repair_tag": ("Repair Tag", "维修卡"),
    "replacement_request": ("Warranty Replacement Request", "三包换件申请表"),
    "claim_form": ("Warranty Claim Form", "索赔单"),
}
ACTIONS = {
    "ticket": "action_report_aftersales_ticket",
    "return_application": "action_report_aftersales_return_application",
    "return_receipt": "action_report_aftersales_return_receipt",
    "survey": "action_report_aftersales_survey",
    "survey_blank": "action_report_aftersales_survey_blank",
    "complaint": "action_report_aftersales_complaint",
    "capa": "action_report_aftersales_capa",
    "evaluation": "action_report_aftersales_evaluation",
    "service_report": "action_report_service_report",
    "pickup_receipt": "action_report_pickup_receipt",
    "repair_tag": "action_report_repair_tag",
    "replacement_request": "action_report_warranty_replacement_request",
    "claim_form": "action_report_warranty_claim_form",
}


def _pdf_tool(args, pdf):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "report.pdf")
        path.write_bytes(pdf)
        return subprocess.run(
            [*args, str(path), *(["-"] if args[0] == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def pdf_page_sizes(pdf):
    """The size in points of every page of a PDF, as pdfinfo reads it."""
    info = _pdf_tool(["pdfinfo", "-f", "1", "-l", "999"], pdf)
    return [
        (round(float(width)), round(float(height)))
        for width, height in re.findall(
            r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info
        )
    ]


def pdf_words(pdf):
    """(page, top, word) of every word of a PDF, top in points from the top of
    the first page, as if the pages were laid end to end."""
    words = []
    pages = _pdf_tool(["pdftotext", "-bbox"], pdf).split("<page ")[1:]
    for index, page in enumerate(pages):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        for top, word in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)<', page
        ):
            words.append((index, index * height + float(top), word))
    return words


@tagged("post_install", "-at_install")
class TestPaper(WarrantyClaimCommon, FeedbackCommon, HttpCase):
    """Every form of the module, rendered by wkhtmltopdf in English and in
    Chinese: A4, the company and the form's number and date in the body,
    no seconds, room to write and sign; and the Print menu of a record only
    offers the forms that apply to it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"]
        )
        cls.company.write(
            {
                "name": "Yangtze Service Co",
                "street": "88 Century Avenue",
                "city": "Shanghai",
                "zip": "200120",
                "logo": PNG,
            }
        )
        cls.env.user.tz = "Asia/Shanghai"

    # Records, one (or more) per form -----------------------------------------

    def _returned_ticket(self):
        """A ticket whose goods came back: return application and receipt."""
        customer = self.env["res.partner"].create(
            {"name": "Jingong Machinery", "is_company": True}
        )
        product = self.env["product.product"].create(
            {"name": "Air Filter", "is_storable": True, "list_price": 50.0}
        )
        self.env["stock.quant"]._update_available_quantity(
            product, self.stock_location, 5
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 3})
                ],
            }
        )
        order.action_confirm()
        order.picking_ids.move_ids.quantity = 3
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()
        reason = self.env["aftersales.return.reason"].create({"name": "Leaks"})
        ticket = self._new_ticket(subject="Filter leaks", partner_id=customer.id)
        self.env["aftersales.return.line"].create(
            {
                "ticket_id": ticket.id,
                "sale_line_id": order.order_line.id,
                "quantity": 2,
                "reason_id": reason.id,
            }
        )
        ticket.action_return_submit()
        ticket.action_return_receive()
        receipt = ticket.return_picking_ids
        receipt.move_ids.picked = True
        receipt.button_validate()
        return ticket, receipt

    def _repair(self, ticket):
        action = ticket.with_user(self.technician).action_new_repair()
        repair = (
            self.env["repair.order"]
            .with_context(**action["context"])
            .create({"item_condition": "Scratched cover"})
        )
        repair.action_issue_pickup_receipt()
        return repair

    def _forms(self):
        """{form: (records, number, date, date_only)} for the 13 forms."""
        closed = self._closed_ticket(user_id=self.technician.id)
        survey = closed.survey_ids
        survey._submit_answer(self._answer(), "call")
        unanswered = self._closed_ticket()
        complaint = self._new_ticket(
            partner_id=self.customer.id,
            type_id=self.env.ref("aftersales_service.ticket_type_complaint").id,
        )
        complaint.complaint_form = "<p>Scratched by our carrier</p>"
        capa = self.env["aftersales.capa"].create(
            {"problem": "Seal leaks", "ticket_id": complaint.id}
        )
        card = self.env["aftersales.technician.evaluation"]._generate(
            closed.date_closed.date(), self.company, self.technician
        )
        returned, receipt = self._returned_ticket()
        warranty = self._warranty_ticket(user_id=self.technician.id)
        visit = self._done_visit(warranty)
        claim = warranty.claim_ids
        self.assertEqual(len(claim), 1)
        repair = self._repair(warranty)
        return {
            "ticket": (closed, closed.name, closed.date_received, False),
            "return_application": (
                returned,
                returned.name,
                min(returned.return_line_ids.mapped("create_date")),
                False,
            ),
            "return_receipt": (returned, receipt.name, receipt.date_done, False),
            "survey": (survey, closed.name, survey.date_answered, False),
            "survey_blank": (
                unanswered,
                unanswered.name,
                unanswered.date_closed,
                False,
            ),
            "complaint": (
                complaint,
                complaint.name,
                complaint.complaint_date_accepted,
                False,
            ),
            "capa": (capa, capa.name, capa.create_date, True),
            "evaluation": (card, card.name, card.date_to, True),
            "service_report": (visit, visit.name, visit.date_arrival, False),
            "pickup_receipt": (repair, repair.pickup_number, repair.pickup_date, False),
            "repair_tag": (repair, repair.name, repair.pickup_date, False),
            "replacement_request": (claim, claim.name, claim.date, True),
            "claim_form": (claim, claim.name, claim.date, True),
        }

    # Rendering -----------------------------------------------------------------

    def _set_lang(self, lang):
        """Customers, their contacts and the users read ``lang``."""
        self.env["res.partner"].with_context(active_test=False).search([]).write(
            {"lang": lang}
        )

    def _render(self, form, records, lang):
        report = self.env["ir.actions.report"].with_context(
            lang=lang, force_report_rendering=True
        )
        pdf, report_type = report._render_qweb_pdf(
            f"aftersales_service.{ACTIONS[form]}", records.ids
        )
        self.assertEqual(report_type, "pdf")
        return pdf

    def _article_text(self, form, records, lang):
        """The text of the body of the form (what wkhtmltopdf prints whether
        or not it prints headers and footers), and whether it shows a logo."""
        html, _type = (
            self.env["ir.actions.report"]
            .with_context(lang=lang, force_report_rendering=True)
            ._render_qweb_html(f"aftersales_service.{ACTIONS[form]}", records.ids)
        )
        root = lxml_html.fromstring(html)
        articles = root.xpath(
            "//div[contains(concat(' ', normalize-space(@class), ' '), ' article ')]"
        )
        self.assertTrue(articles, f"{form}: no article")
        text = " ".join(" ".join(article.itertext()) for article in articles)
        logo = any(
            img.get("src", "").startswith("data:image")
            for article in articles
            # By class: the alt text is translated.
            for img in article.xpath(
                ".//img[contains(concat(' ', @class, ' '), ' as_company_logo ')]"
            )
        )
        return " ".join(text.split()), logo

    def _expected_date(self, records, value, date_only, lang):
        """The form's date as the language writes it, without seconds."""
        lang_data = self.env["res.lang"]._get_data(code=lang)
        if date_only:
            if isinstance(value, datetime):
                value = fields.Datetime.context_timestamp(records[:1], value)
            return value.strftime(lang_data.date_format)
        value = fields.Datetime.context_timestamp(records[:1], value)
        return value.strftime(f"{lang_data.date_format} {lang_data.short_time_format}")

    # Tests -----------------------------------------------------------------------

    def test_every_form_on_a4_with_the_company_number_and_date(self):
        forms = self._forms()
        self.assertEqual(set(forms), set(ACTIONS))
        for form in forms:
            report = self.env.ref(f"aftersales_service.{ACTIONS[form]}")
            self.assertEqual(report.paperformat_id.format, "A4", form)
            self.assertEqual(report.paperformat_id.orientation, "Portrait", form)
            self.assertEqual(report.get_paperformat().format, "A4", form)
        for lang_index, lang in enumerate(("en_US", "zh_CN")):
            self._set_lang(lang)
            for form, (records, number, date, date_only) in forms.items():
                with self.subTest(form=form, lang=lang):
                    pdf = self._render(form, records, lang)
                    sizes = pdf_page_sizes(pdf)
                    self.assertTrue(sizes)
                    self.assertEqual(set(sizes), {A4_POINTS}, "A4 portrait pages")
                    text = " ".join(pdf_text(pdf).split())
                    self.assertIn(TITLES[form][lang_index], text)
                    self.assertIn("Yangtze Service Co", text)
                    self.assertIn("88 Century Avenue", text)
                    self.assertIn(number, text)
                    expected = self._expected_date(records, date, date_only, lang)
                    self.assertIn(expected, text, "the form's date, no seconds")
                    self.assertFalse(SECONDS.findall(text), "times without seconds")
                    if form in ("complaint", "evaluation", "claim_form"):
                        currency = self.company.currency_id.symbol
                        self.assertIn(currency, text, "amounts in company currency")
                    # In the body, not only in a header the PDF tool may drop.
                    body, logo = self._article_text(form, records, lang)
                    self.assertIn("Yangtze Service Co", body)
                    self.assertIn("88 Century Avenue", body)
                    self.assertIn(number, body)
                    self.assertTrue(logo, "the company's logo in the body")

    def test_room_to_write_and_sign(self):
        forms = self._forms()
        self._set_lang("en_US")

        def top(words, word, below=-1.0):
            """Where ``word`` first appears below the height ``below``."""
            return next(t for _p, t, w in words if w == word and t > below)

        # The claim form's approval boxes fit a signature and a company chop.
        claim = forms["claim_form"][0]
        self.company.aftersales_claim_form_copies = 1
        words = pdf_words(self._render("claim_form", claim, "en_US"))
        self.assertEqual({p for p, _t, _w in words}, {0}, "one page per copy")
        row = top(words, "Head") - top(words, "Supervisor")
        self.assertGreaterEqual(row, 3 * CM, "approval boxes at least 3 cm high")

        # The 8D report: a D1 team, and room to write D3 to D7 when empty.
        capa = forms["capa"][0]
        text = pdf_text(self._render("capa", capa, "en_US"))
        self.assertIn("D1 Team", text)
        self.assertIn("Team Leader", text)
        self.assertGreaterEqual(text.count("Team Member"), 4)
        words = pdf_words(self._render("capa", capa, "en_US"))
        headings = {
            w: t for _p, t, w in words if w in ("D3", "D4", "D5-D6", "D7", "D8")
        }
        for this, following in (("D3", "D4"), ("D5-D6", "D7"), ("D7", "D8")):
            self.assertGreaterEqual(
                headings[following] - headings[this], 3 * CM, f"room for {this}"
            )

        # The complaint form ends with handling lines and signatures.
        complaint = forms["complaint"][0]
        text = " ".join(pdf_text(self._render("complaint", complaint, "en_US")).split())
        for expected in (
            "Signature and Date",
            "Sales: proposal to the customer",
            "Handling Result",
            "Handled By",
            "Department Manager",
            "General Manager:",
        ):
            self.assertIn(expected, text)
        words = pdf_words(self._render("complaint", complaint, "en_US"))
        handling = top(words, "Signature")
        line = top(words, "Manufacturing:", handling) - top(words, "Quality", handling)
        self.assertGreaterEqual(line, 1.8 * CM, "a handling line to write in")

        # The survey form: a signature line for the customer's signature and stamp.
        survey = forms["survey_blank"][0]
        words = pdf_words(self._render("survey_blank", survey, "en_US"))
        sign = top(words, "stamp):")
        self.assertGreaterEqual(
            top(words, "Date:", sign) - sign, 2.5 * CM, "room to sign and stamp"
        )

    def test_print_menu_offers_the_forms_that_apply(self):
        def offered(records, user):
            """The forms of the Print menu for ``records``, as the web client
            lists them: actions without a domain, and those whose domain one
            of the records matches."""
            env = self.env(user=user)
            bindings = env["ir.actions.actions"].get_bindings(records._name)
            actions = bindings.get("report", [])
            with_domain = [a["id"] for a in actions if "domain" in a]
            valid = [a["id"] for a in actions if "domain" not in a]
            valid += (
                env["ir.actions.report"]
                .browse(with_domain)
                .get_valid_action_reports(records._name, records.ids)
            )
            xmlids = self.env["ir.actions.report"].browse(valid).get_external_id()
            return {xmlid.split(".")[-1] for xmlid in xmlids.values() if xmlid}

        ticket_forms = {
            ACTIONS[f]
            for f in (
                "ticket",
                "return_application",
                "return_receipt",
                "survey_blank",
                "complaint",
            )
        }
        plain = self._new_ticket(partner_id=self.customer.id)
        self.assertEqual(
            offered(plain, self.agent) & ticket_forms,
            {ACTIONS["ticket"], ACTIONS["survey_blank"]},
            "no return or complaint forms on a plain ticket",
        )
        complaint = self._new_ticket(
            partner_id=self.customer.id,
            type_id=self.env.ref("aftersales_service.ticket_type_complaint").id,
        )
        self.assertIn(ACTIONS["complaint"], offered(complaint, self.agent))

        returned, _receipt = self._returned_ticket()
        self.assertTrue(
            {ACTIONS["return_application"], ACTIONS["return_receipt"]}
            <= offered(returned, self.agent)
        )
        submitted = self._new_ticket(partner_id=returned.partner_id.id)
        self.env["aftersales.return.line"].create(
            {
                "ticket_id": submitted.id,
                "sale_line_id": returned.return_line_ids.sale_line_id.id,
                "quantity": 1,
                "reason_id": returned.return_line_ids.reason_id.id,
            }
        )
        forms = offered(submitted, self.agent)
        self.assertIn(ACTIONS["return_application"], forms)
        self.assertNotIn(ACTIONS["return_receipt"], forms, "nothing received yet")
        submitted.return_line_ids.state = "cancel"
        self.assertNotIn(ACTIONS["return_application"], offered(submitted, self.agent))

        closed = self._closed_ticket()
        self.assertIn(ACTIONS["survey_blank"], offered(closed, self.agent))
        closed.survey_ids._submit_answer(self._answer(), "call")
        self.assertNotIn(ACTIONS["survey_blank"], offered(closed, self.agent))
        self.assertIn(ACTIONS["survey"], offered(closed.survey_ids, self.agent))

        warranty = self._warranty_ticket(user_id=self.technician.id)
        planned = self._visit(warranty)
        self.assertIn(ACTIONS["service_report"], offered(planned, self.technician))
        planned.action_cancel()
        self.assertNotIn(ACTIONS["service_report"], offered(planned, self.technician))

        action = warranty.with_user(self.technician).action_new_repair()
        repair = self.env["repair.order"].with_context(**action["context"]).create({})
        forms = offered(repair, self.technician)
        self.assertIn(ACTIONS["repair_tag"], forms)
        self.assertNotIn(ACTIONS["pickup_receipt"], forms, "no receipt issued yet")
        repair.action_issue_pickup_receipt()
        self.assertIn(ACTIONS["pickup_receipt"], offered(repair, self.technician))
