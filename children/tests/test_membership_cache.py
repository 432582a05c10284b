"""User.membership_list: a user's memberships read once per user object, and read
again after any change to a membership, its groups or a unit."""

from accounts.models import Membership, Role, UnitGroup
from children.access import visible_children
from tidlig.test import BaseTestCase


class MembershipListTestCase(BaseTestCase):
    def test_the_access_checks_of_one_request_read_the_memberships_once(self):
        user = type(self.pia).objects.get(pk=self.pia.pk)
        with self.assertNumQueries(2):  # the memberships with their units, their groups
            user.membership_list()
            assert user.has_role(Role.FAGPERSON)
            assert not user.has_role(Role.LEDER)
            assert user.roles() == {Role.FAGPERSON}
            user.memberships_as(Role.FAGPERSON, unit_kind=self.solsikken.kind)

    def test_a_change_is_seen_by_a_user_object_that_read_them_before(self):
        user = type(self.pia).objects.get(pk=self.pia.pk)
        assert list(visible_children(user)) != []
        membership = Membership.objects.create(user=user, unit=self.skolen, role=Role.LEDER)
        assert user.has_role(Role.LEDER)
        assert self.oskar in visible_children(user)
        membership.delete()
        assert not user.has_role(Role.LEDER)
        assert self.oskar not in visible_children(user)
        # Narrowed to a group: the group list is read again too.
        group = UnitGroup.objects.create(unit=self.solsikken, name="Stue 1", kind="stue")
        Membership.objects.get(user=user, unit=self.solsikken).groups.add(group)
        assert list(visible_children(user)) == []
