import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, RedirectWarning, UserError

CONFIRMATION_METHODS = [
    ("signature", "Signature"),
    ("portal", "Portal"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("paper", "Signed Paper Form"),
]
# Resolving or closing with work still open needs a manager's logged reason. The
# override travels in the context as this object, which no client can send: only
# the server's override actions open the guard.
OPEN_WORK_OVERRIDE = object()
MANAGER_GROUP = "aftersales_service.group_aftersales_manager"


class AftersalesTicket(models.Model):
    """Closure only with the customer's recorded confirmation; nothing resolves
    or closes while work is open; reopening is tracked."""

    _inherit = "aftersales.ticket"

    confirmation_method = fields.Selection(
        CONFIRMATION_METHODS, string="Confirmed By Means Of", copy=False, tracking=True
    )
    confirmed_by = fields.Char(
        copy=False,
        tracking=True,
        help="Who confirmed for the customer.",
    )
    confirmation_partner_id = fields.Many2one(
        "res.partner",
        string="Confirming Contact",
        copy=False,
        help="The customer's contact who confirmed the resolution.",
    )
    confirmation_date = fields.Datetime(
        string="Confirmed On", copy=False, tracking=True
    )
    confirmation_signature = fields.Binary(
        string="Customer Signature", copy=False, attachment=True
    )
    confirmation_note = fields.Text(copy=False)
    reopen_count = fields.Integer(
        string="Times Reopened", readonly=True, copy=False, default=0, tracking=True
    )

    # ------------------------------------------------------------------
    # What is still open
    # ------------------------------------------------------------------

    def _open_work(self):
        """One line per piece of work of the ticket that is not finished yet:
        visits, repairs, warranty claims, quotations and returns."""
        self.ensure_one()

        def state_of(record):
            field = record._fields["state"]
            return dict(field._description_selection(self.env))[record.state]

        lines = [
            self.env._(
                "Visit %(visit)s is %(state)s.", visit=visit.name, state=state_of(visit)
            )
            for visit in self.visit_ids
            if visit.state in ("planned", "on_site")
        ]
        lines += [
            self.env._(
                "Repair %(repair)s is %(state)s.",
                repair=repair.name,
                state=state_of(repair),
            )
            for repair in self.repair_ids
            if repair.state not in ("done", "cancel")
        ]
        lines += [
            self.env._(
                "Warranty claim %(claim)s is %(state)s: submit it or cancel it.",
                claim=claim.name,
                state=state_of(claim),
            )
            for claim in self.claim_ids
            if claim.state in ("draft", "returned")
        ]
        lines += [
            self.env._(
                "Quotation %(order)s waits for the customer's answer.", order=order.name
            )
            for order in self.sale_order_ids
            if order.state in ("draft", "sent")
        ]
        lines += [
            self.env._(
                "Return of %(product)s is %(state)s.",
                product=line.product_id.display_name,
                state=state_of(line),
            )
            for line in self.return_line_ids
            if line.state not in ("done", "cancel")
        ]
        return lines

    def _check_no_open_work(self, kind):
        """Refuse to resolve or close (``kind``) while work is open, with the
        list; a manager may go on with a reason (the override wizard for
        resolving, the close wizard for closing)."""
        self.ensure_one()
        if self.env.context.get("aftersales_open_work_override") is OPEN_WORK_OVERRIDE:
            return True
        lines = self._open_work()
        if not lines:
            return True
        work = "\n".join(f"• {line}" for line in lines)
        if kind == "resolved":
            message = _(
                "Ticket %(ticket)s cannot be resolved while work is still open:\n"
                "%(work)s",
                ticket=self.name,
                work=work,
            )
        else:
            message = _(
                "Ticket %(ticket)s cannot be closed while work is still open:\n"
                "%(work)s",
                ticket=self.name,
                work=work,
            )
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(message)
        if kind == "resolved":
            offer = RedirectWarning(
                message + "\n" + _("As a manager you may resolve it giving a reason."),
                self.env.ref("aftersales_service.aftersales_ticket_override_action").id,
                _("Resolve Anyway"),
                {"default_ticket_id": self.id},
            )
            # A business answer, not a server error: log it as Odoo logs a UserError.
            offer.loglevel = logging.WARNING
            raise offer
        raise UserError(
            message
            + "\n"
            + _("As a manager you may close it giving a reason in the close wizard.")
        )

    def _check_can_resolve(self, vals):
        res = super()._check_can_resolve(vals)
        self._check_no_open_work("resolved")
        return res

    def _check_can_close(self, vals):
        res = super()._check_can_close(vals)
        recorded = {
            fname: vals[fname] if fname in vals else self[fname]
            for fname in ("confirmation_method", "confirmed_by", "confirmation_date")
        }
        if not all(recorded.values()):
            raise UserError(
                _(
                    "Ticket %(ticket)s cannot be closed before the customer's "
                    "confirmation is recorded (who confirmed, when and how). "
                    "Use Close with Confirmation.",
                    ticket=self.name,
                )
            )
        self._check_no_open_work("closed")
        return res

    def _override_open_work(self, reason):
        """A manager resolves or closes although work is open: the reason and
        the open work are logged on the ticket. Returns the ticket with the
        guard opened for the move that follows."""
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                _(
                    "Only an After-Sales manager may resolve or close a ticket "
                    "with work still open."
                )
            )
        if not (reason or "").strip():
            raise UserError(_("Give the reason for going on with work still open."))
        self._message_log(
            body=_(
                "%(user)s went on with work still open (%(work)s). Reason: "
                "%(reason)s",
                user=self.env.user.name,
                work=" ".join(self._open_work()) or _("nothing"),
                reason=reason.strip(),
            ),
        )
        return self.with_context(aftersales_open_work_override=OPEN_WORK_OVERRIDE)

    def _resolve_with_override(self, reason):
        self.ensure_one()
        self._override_open_work(reason)._move_to_kind("resolved")
        return True

    # ------------------------------------------------------------------
    # Creation and reopening
    # ------------------------------------------------------------------

    def _check_stage_at_creation(self):
        # Created closed only when imported together with its confirmation.
        to_check = self.filtered(
            lambda t: not (t.stage_kind == "closed" and t.confirmation_date)
        )
        return super(AftersalesTicket, to_check)._check_stage_at_creation()

    def _on_reopen(self):
        res = super()._on_reopen()
        for ticket in self:
            ticket.write(
                {
                    "reopen_count": ticket.reopen_count + 1,
                    "confirmation_method": False,
                    "confirmed_by": False,
                    "confirmation_partner_id": False,
                    "confirmation_date": False,
                    "confirmation_signature": False,
                    "confirmation_note": False,
                }
            )
            ticket._message_log(
                body=_("Ticket reopened by %(user)s.", user=self.env.user.name),
            )
        return res

    # ------------------------------------------------------------------
    # Closing with the customer's confirmation
    # ------------------------------------------------------------------

    @api.model
    def _confirmation_evidence(self, visits):
        """The customer's confirmation as a signed service report gives it:
        the latest completed visit with a signature."""
        signed = visits.filtered(lambda v: v.state == "done" and v.signature)
        return signed.sorted(lambda v: (v.signed_on or v.date_departure, v.id))[-1:]

    def _check_confirmation(self, method, confirmed_by, partner, date, signature):
        """Nothing invented: a method, a named person of the customer, a moment
        that has happened."""
        self.ensure_one()
        if not method:
            raise UserError(_("Choose how the customer confirmed the resolution."))
        if method == "signature" and not signature:
            raise UserError(
                _("A confirmation by signature needs the customer's signature.")
            )
        if partner:
            customer = self.partner_id.commercial_partner_id
            if partner.is_company:
                raise UserError(
                    _(
                        "Name the person who confirmed for %(customer)s, not the "
                        "company itself.",
                        customer=customer.display_name,
                    )
                )
            if customer and partner.commercial_partner_id != customer:
                raise UserError(
                    _(
                        "%(person)s is not a contact of %(customer)s.",
                        person=partner.display_name,
                        customer=customer.display_name,
                    )
                )
        if not (confirmed_by or "").strip():
            raise UserError(_("Say who confirmed the resolution for the customer."))
        if not date:
            raise UserError(_("Say when the customer confirmed the resolution."))
        if fields.Datetime.to_datetime(date) > fields.Datetime.now():
            raise UserError(_("The customer's confirmation cannot be in the future."))
        return True

    def _close_with_confirmation(
        self,
        method,
        confirmed_by,
        date,
        signature=False,
        note=False,
        partner=None,
        override_reason=False,
    ):
        """Record the customer's confirmation and close, in one write."""
        self.ensure_one()
        partner = partner or self.env["res.partner"]
        confirmed_by = confirmed_by or partner.name
        self._check_confirmation(method, confirmed_by, partner, date, signature)
        stage = self._get_stage_of_kind("closed")
        if not stage:
            raise UserError(
                _("There is no closed stage for team %(team)s.", team=self.team_id.name)
            )
        ticket = self
        if override_reason:
            ticket = self._override_open_work(override_reason)
        ticket.write(
            {
                "confirmation_method": method,
                "confirmed_by": confirmed_by.strip(),
                "confirmation_partner_id": partner.id,
                "confirmation_date": date,
                "confirmation_signature": signature,
                "confirmation_note": note,
                "stage_id": stage.id,
            }
        )
        return True

    def action_open_close_wizard(self):
        self.ensure_one()
        if self.stage_kind != "resolved":
            raise UserError(
                _(
                    "Ticket %(ticket)s can only be closed from a resolved stage.",
                    ticket=self.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Close with Customer Confirmation"),
            "res_model": "aftersales.ticket.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }
