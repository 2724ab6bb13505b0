from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import AftersalesCommon

INCOMING = """Return-Path: <{email_from}>
To: {to}
Received: by mail1.example.com
Date: Mon, 23 Nov 2026 10:00:00 +0800
Message-ID: {msg_id}
Subject: {subject}
From: {email_from}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit
{extra}
The printer in room 301 stops after ten pages.
"""


@tagged("post_install", "-at_install")
class TestTicketMail(AftersalesCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.team.alias_name = "workshop"

    def test_incoming_mail_creates_ticket_and_reply_is_threaded(self):
        with self.mock_mail_gateway():
            ticket = self.format_and_process(
                INCOMING,
                "Li Lei <li.lei@acme.example>",
                f"workshop@{self.alias_domain}",
                subject="Printer stops",
                msg_id="<printer-stops@acme.example>",
                target_model="aftersales.ticket",
                target_field="subject",
            )
        self.assertEqual(len(ticket), 1)
        self.assertRecordValues(
            ticket,
            [
                {
                    "team_id": self.team.id,
                    "channel": "email",
                    "partner_id": self.customer.id,
                    "contact_id": self.customer_contact.id,
                    "partner_email": "li.lei@acme.example",
                }
            ],
        )
        self.assertIn("room 301", str(ticket.description))
        self.assertTrue(ticket.name.startswith("AS"))
        # The customer is acknowledged with the ticket number.
        ack = self._new_mails.filtered(lambda m: ticket.name in (m.subject or ""))
        self.assertTrue(ack, "the registration mail is sent")
        self.assertIn(self.customer_contact, ack.recipient_ids)

        # A reply to the conversation lands on the same ticket.
        count = self.env["aftersales.ticket"].search_count([])
        self.format_and_process(
            INCOMING,
            "Li Lei <li.lei@acme.example>",
            f"workshop@{self.alias_domain}",
            subject="Re: Printer stops",
            msg_id="<printer-stops-2@acme.example>",
            extra="In-Reply-To: <printer-stops@acme.example>\n",
            target_model="aftersales.ticket",
            target_field="subject",
        )
        self.assertEqual(self.env["aftersales.ticket"].search_count([]), count)
        self.assertIn(
            "<printer-stops-2@acme.example>", ticket.message_ids.mapped("message_id")
        )

    def test_unknown_sender_becomes_customer(self):
        ticket = self.format_and_process(
            INCOMING,
            "Wang Fang <wang.fang@newclient.example>",
            f"workshop@{self.alias_domain}",
            subject="New customer request",
            target_model="aftersales.ticket",
            target_field="subject",
        )
        self.assertEqual(ticket.partner_id.email, "wang.fang@newclient.example")

    def test_registration_and_closure_mails(self):
        with self.mock_mail_gateway():
            ticket = self._new_ticket(partner_id=self.customer.id)
        # Compared on the number, not the words: the mail is in the customer's language.
        received = self._new_mails.filtered(lambda m: self.customer in m.recipient_ids)
        self.assertEqual(len(received), 1)
        self.assertIn(ticket.name, received.subject)
        self._resolve(ticket)
        with self.mock_mail_gateway():
            ticket._close_with_confirmation("phone", "Li Lei", "2026-11-06 09:00:00")
        closed = self._new_mails.filtered(lambda m: self.customer in m.recipient_ids)
        self.assertEqual(len(closed), 1)
        self.assertIn(ticket.name, closed.subject)
        self.assertIn("Li Lei", str(closed.body_html))

    def test_mails_can_be_switched_off(self):
        self.company.write(
            {"aftersales_mail_on_create": False, "aftersales_mail_on_close": False}
        )
        with self.mock_mail_gateway():
            ticket = self._new_ticket(partner_id=self.customer.id)
            self._resolve(ticket)
            ticket._close_with_confirmation("phone", "Li Lei", "2026-11-06 09:00:00")
        to_customer = self._new_mails.filtered(
            lambda m: self.customer in m.recipient_ids
        )
        self.assertFalse(to_customer, "the customer gets no mail")

    def test_first_reply_to_customer_is_first_response(self):
        ticket = self._new_ticket(partner_id=self.customer.id)
        self.assertFalse(ticket.date_first_response)
        ticket.with_user(self.agent).message_post(
            body="Internal note", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(ticket.date_first_response)
        ticket.with_user(self.agent).message_post(
            body="We will call you today.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
        )
        self.assertTrue(ticket.date_first_response)
