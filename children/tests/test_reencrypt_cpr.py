"""manage.py reencrypt_cpr: the last step of a CPR key rotation (docs/security.md)."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.test import override_settings

from children.models import Child
from tidlig.test import BaseTestCase

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def run(*args: str) -> str:
    out = StringIO()
    call_command("reencrypt_cpr", *args, stdout=out)
    return out.getvalue()


class ReencryptCprTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        # The fixture's children are encrypted with the old key only.
        with override_settings(CPR_ENCRYPTION_KEYS=[OLD]):
            super().setUpTestData()

    def setUp(self):
        with override_settings(CPR_ENCRYPTION_KEYS=[OLD]):
            self.emmas_cpr = Child.objects.get(pk=self.emma.pk).reveal_cpr()

    def test_it_reencrypts_with_the_newest_key(self):
        with override_settings(CPR_ENCRYPTION_KEYS=[NEW, OLD]):
            out = run()
        assert "3 CPR-numre er krypteret igen med den nyeste nøgle, 0 var det allerede." in out

        with override_settings(CPR_ENCRYPTION_KEYS=[NEW]):
            emma = Child.objects.get(pk=self.emma.pk)
            assert emma.reveal_cpr() == self.emmas_cpr
            for child in Child.objects.all():
                child.reveal_cpr()  # raises if any row still needs the old key
            assert Child.objects.with_cpr(self.emmas_cpr).get() == emma

    def test_it_is_idempotent(self):
        with override_settings(CPR_ENCRYPTION_KEYS=[NEW, OLD]):
            run()
            tokens = dict(Child.objects.values_list("pk", "cpr_encrypted"))
            out = run()
        assert "0 CPR-numre er krypteret igen med den nyeste nøgle, 3 var det allerede." in out
        assert dict(Child.objects.values_list("pk", "cpr_encrypted")) == tokens

    def test_it_changes_nothing_on_a_dry_run(self):
        tokens = dict(Child.objects.values_list("pk", "cpr_encrypted"))
        with override_settings(CPR_ENCRYPTION_KEYS=[NEW, OLD]):
            out = run("--dry-run")
        assert "Prøvekørsel: 3 CPR-numre ville blive krypteret igen" in out
        assert dict(Child.objects.values_list("pk", "cpr_encrypted")) == tokens

    def test_it_works_in_batches(self):
        with override_settings(CPR_ENCRYPTION_KEYS=[NEW, OLD]):
            out = run("--batch-size", "2")
        assert "3 CPR-numre er krypteret igen" in out

    def test_it_stops_when_a_key_is_missing(self):
        with override_settings(CPR_ENCRYPTION_KEYS=[NEW]), pytest.raises(CommandError):
            run()

    def test_it_prints_no_cpr_number(self):
        with override_settings(CPR_ENCRYPTION_KEYS=[NEW, OLD]):
            out = run()
        assert self.emmas_cpr[:6] not in out
