from onebudget.roles import Permission, Role, permissions_of


def test_everyone_with_a_role_can_view() -> None:
    assert all(Permission.VIEW in role.permissions for role in Role)


def test_only_the_pool_manager_posts_to_a_pool() -> None:
    posters = {role for role in Role if Permission.POST_TO_POOL in role.permissions}
    assert posters == {Role.POOL_MANAGER}


def test_only_finance_approves_a_settlement() -> None:
    approvers = {role for role in Role if Permission.APPROVE_SETTLEMENT in role.permissions}
    assert approvers == {Role.FINANCE}


def test_roles_add_up() -> None:
    granted = permissions_of([Role.VIEWER, Role.ADMIN])
    assert granted == Role.VIEWER.permissions | Role.ADMIN.permissions
    assert permissions_of([]) == frozenset()


def test_labels_read_as_words() -> None:
    assert Role.POOL_MANAGER.label == "Pool manager"
