from xmlrpc.client import Fault

from odoo.exceptions import AccessError
from odoo.tests import get_db_name

REFUSED = "cannot be written directly"


class GuardAssertions:
    """Assertions that a client cannot write a guarded field: directly as a
    role, with the context keys an old client may send, and over XML-RPC."""

    def assertWriteRefused(self, record, vals, users, context=None):
        """Each of ``users`` writing ``vals`` on ``record`` is refused with the
        guard's message, and nothing changes."""
        before = record.read(list(vals))[0]
        for user in users:
            target = record.with_user(user).with_context(**(context or {}))
            with self.subTest(user=user.login, fields=list(vals)):
                with self.assertRaises(AccessError) as caught:
                    target.write(vals)
                self.assertIn(REFUSED, str(caught.exception))
        record.invalidate_recordset()
        self.assertEqual(record.read(list(vals))[0], before)

    def assertCreateRefused(self, model, vals, users, context=None):
        for user in users:
            target = self.env[model].with_user(user).with_context(**(context or {}))
            with self.subTest(user=user.login, fields=list(vals)):
                with self.assertRaises(AccessError) as caught:
                    target.create(vals)
                self.assertIn(REFUSED, str(caught.exception))

    def assertRpcWriteRefused(self, record, vals, login, password, context=None):
        """Over XML-RPC (in an HttpCase): the write comes back as a Fault with
        the guard's message."""
        db = get_db_name()
        uid = self.xmlrpc_common.authenticate(db, login, password, {})
        kwargs = {"context": context} if context else {}
        with self.assertRaises(Fault) as caught:
            self.xmlrpc_object.execute_kw(
                db, uid, password, record._name, "write", [record.ids, vals], kwargs
            )
        self.assertIn(REFUSED, caught.exception.faultString)
