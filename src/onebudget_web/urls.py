from django.urls import path

from onebudget_web.accounts import password_reset as reset
from onebudget_web.accounts import people
from onebudget_web.accounts import views as accounts
from onebudget_web.accounts.two_factor import views as two_factor
from onebudget_web.allocation import views as allocation
from onebudget_web.api import api
from onebudget_web.bcf import figure_forms as bcf_figures
from onebudget_web.bcf import form_views as bcf_forms
from onebudget_web.bcf import return_views as bcf_returns
from onebudget_web.bcf import step_views as bcf_steps
from onebudget_web.bcf import views as bcf
from onebudget_web.contracts import statement_views as statements
from onebudget_web.contracts import views as contracts
from onebudget_web.core import views as core
from onebudget_web.funds import views as funds
from onebudget_web.places import views as places
from onebudget_web.scenarios import views as scenarios
from onebudget_web.spend import views as spend

urlpatterns = [
    path("", accounts.home, name="home"),
    path("sign-in/", accounts.SignInView.as_view(), name="login"),
    path("sign-out/", accounts.SignOutView.as_view(), name="logout"),
    path("account/password/", accounts.ChangePasswordView.as_view(), name="password_change"),
    path("account/tokens/", accounts.api_tokens, name="api_tokens"),
    path("account/two-factor/", two_factor.account, name="two_factor"),
    path("account/two-factor/set-up/", two_factor.set_up, name="two_factor_set_up"),
    path("account/two-factor/code/", two_factor.verify, name="two_factor_verify"),
    path(
        "account/password-reset/",
        reset.RequestResetView.as_view(),
        name="password_reset",
    ),
    path(
        "account/password-reset/sent/",
        reset.ResetSentView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        reset.ChooseNewPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/done/",
        reset.ResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("organisations/<str:code>/", accounts.organisation_detail, name="organisation"),
    path(
        "organisations/<str:code>/activity/",
        accounts.organisation_activity,
        name="organisation_activity",
    ),
    path("organisations/<str:code>/people/", people.people, name="people"),
    path("organisations/<str:code>/people/invite/", people.people_invite, name="people_invite"),
    path(
        "organisations/<str:code>/people/invitations/withdraw/",
        people.people_invitation_withdraw,
        name="people_invitation_withdraw",
    ),
    path(
        "organisations/<str:code>/people/roles/grant/",
        people.people_role_grant,
        name="people_role_grant",
    ),
    path(
        "organisations/<str:code>/people/roles/withdraw/",
        people.people_role_withdraw,
        name="people_role_withdraw",
    ),
    path(
        "organisations/<str:code>/people/tokens/revoke/",
        people.people_token_revoke,
        name="people_token_revoke",
    ),
    path(
        "organisations/<str:code>/people/<int:pk>/disable/",
        people.people_disable,
        name="people_disable",
    ),
    path("invitations/<str:token>/", people.invitation_accept, name="invitation_accept"),
    path("places/<slug:slug>/", places.place_detail, name="place"),
    path("places/<slug:slug>/outcomes/", places.place_outcomes, name="place_outcomes"),
    path(
        "places/<slug:slug>/outcomes/<slug:indicator>/",
        places.place_indicator,
        name="place_indicator",
    ),
    path(
        "places/<slug:slug>/outcomes/<slug:indicator>/target/",
        places.place_indicator_target,
        name="place_indicator_target",
    ),
    path("places/<slug:slug>/better-care-fund/", bcf.place_bcf, name="place_bcf"),
    path(
        "places/<slug:slug>/better-care-fund/upload/",
        bcf_steps.place_bcf_upload,
        name="place_bcf_upload",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/",
        bcf.place_bcf_plan,
        name="place_bcf_plan",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/schemes/",
        bcf.place_bcf_schemes,
        name="place_bcf_schemes",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/capacity/",
        bcf.place_bcf_capacity,
        name="place_bcf_capacity",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/metrics/",
        bcf.place_bcf_metrics,
        name="place_bcf_metrics",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/schemes/new/",
        bcf_forms.place_bcf_scheme_new,
        name="place_bcf_scheme_new",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/schemes/<str:scheme>/",
        bcf_forms.place_bcf_scheme,
        name="place_bcf_scheme",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/schemes/<str:scheme>/remove/",
        bcf_forms.place_bcf_scheme_remove,
        name="place_bcf_scheme_remove",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/allocations/",
        bcf_figures.place_bcf_allocations,
        name="place_bcf_allocations",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/conditions/",
        bcf_figures.place_bcf_conditions,
        name="place_bcf_conditions",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/metrics/trajectories/",
        bcf_figures.place_bcf_trajectories,
        name="place_bcf_trajectories",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/plan.<slug:kind>",
        bcf.place_bcf_download,
        name="place_bcf_download",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/agree/",
        bcf_steps.place_bcf_agree,
        name="place_bcf_agree",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/sign-off/",
        bcf_steps.place_bcf_sign_off,
        name="place_bcf_sign_off",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/assure/",
        bcf_steps.place_bcf_assure,
        name="place_bcf_assure",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/fund/",
        bcf_steps.place_bcf_fund,
        name="place_bcf_fund",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/returns/",
        bcf_returns.place_bcf_returns,
        name="place_bcf_returns",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/returns/<slug:period>/",
        bcf_returns.place_bcf_return,
        name="place_bcf_return",
    ),
    path(
        "places/<slug:slug>/better-care-fund/<slug:year>/returns/<slug:period>/<int:pk>.xlsx",
        bcf_returns.place_bcf_return_file,
        name="place_bcf_return_file",
    ),
    path("places/<slug:slug>/scenarios/", scenarios.place_scenarios, name="place_scenarios"),
    path(
        "places/<slug:slug>/scenarios/new/",
        scenarios.place_scenario_new,
        name="place_scenario_new",
    ),
    path(
        "places/<slug:slug>/scenarios/upload/",
        scenarios.place_scenario_upload,
        name="place_scenario_upload",
    ),
    path(
        "places/<slug:slug>/scenarios/<int:number>/",
        scenarios.place_scenario,
        name="place_scenario",
    ),
    path(
        "places/<slug:slug>/scenarios/<int:number>/scenario.yaml",
        scenarios.place_scenario_file,
        name="place_scenario_file",
    ),
    path(
        "places/<slug:slug>/scenarios/<int:number>/projection.csv",
        scenarios.place_scenario_projection,
        name="place_scenario_projection",
    ),
    path(
        "places/<slug:slug>/scenarios/<int:number>/scenario.xlsx",
        scenarios.place_scenario_workbook,
        name="place_scenario_workbook",
    ),
    path(
        "places/<slug:slug>/scenarios/<int:number>/variation.yaml",
        scenarios.place_scenario_variation,
        name="place_scenario_variation",
    ),
    path(
        "places/<slug:slug>/scenarios/<int:number>/withdraw/",
        scenarios.place_scenario_withdraw,
        name="place_scenario_withdraw",
    ),
    path("places/<slug:slug>/contracts/", contracts.place_contracts, name="place_contracts"),
    path(
        "places/<slug:slug>/contracts/record/",
        contracts.place_contract_record,
        name="place_contract_record",
    ),
    path(
        "places/<slug:slug>/contracts/write/",
        contracts.place_contract_write,
        name="place_contract_write",
    ),
    path(
        "places/<slug:slug>/contracts/<int:contract>/edit/",
        contracts.place_contract_edit,
        name="place_contract_edit",
    ),
    path(
        "places/<slug:slug>/contracts/<int:contract>/",
        contracts.place_contract,
        name="place_contract",
    ),
    path(
        "places/<slug:slug>/contracts/<int:contract>/versions/<int:number>.yaml",
        contracts.place_contract_file,
        name="place_contract_file",
    ),
    path(
        "places/<slug:slug>/contracts/<int:contract>/statements/new/",
        statements.contract_statements_new,
        name="contract_statements_new",
    ),
    path(
        "places/<slug:slug>/contracts/<int:contract>/statements/<slug:period>/post/",
        statements.contract_statements_post,
        name="contract_statements_post",
    ),
    path(
        "places/<slug:slug>/contracts/<int:contract>/statements/<slug:period>/<slug:provider>/",
        statements.contract_statement,
        name="contract_statement",
    ),
    path(
        "places/<slug:slug>/contracts/<int:contract>/statements/<slug:period>/<slug:provider>/statement.xlsx",
        statements.contract_statement_file,
        name="contract_statement_file",
    ),
    path(
        "places/<slug:slug>/contracts/<int:contract>/statements/<slug:period>/<slug:provider>/dispute/",
        statements.contract_dispute,
        name="contract_dispute",
    ),
    path(
        "places/<slug:slug>/contracts/<int:contract>/statements/<slug:period>/<slug:provider>/disputes/<int:pk>/",
        statements.contract_dispute_decide,
        name="contract_dispute_decide",
    ),
    path("funds/<slug:code>/", funds.fund_detail, name="fund"),
    path("funds/<slug:code>/agreement.yaml", funds.fund_agreement, name="fund_agreement"),
    path("funds/<slug:code>/ledger/", funds.fund_ledger, name="fund_ledger"),
    path("funds/<slug:code>/ledger/<str:period>/", funds.fund_period, name="fund_period"),
    path("funds/<slug:code>/actuals/", funds.fund_actuals, name="fund_actuals"),
    path("funds/<slug:code>/monitoring/", funds.fund_monitoring, name="fund_monitoring"),
    path("funds/<slug:code>/agreement/", funds.fund_agreement_edit, name="fund_agreement_edit"),
    path("places/<slug:slug>/funds/new/", funds.place_new_fund, name="place_new_fund"),
    path("places/<slug:slug>/spend/", spend.place_spend_page, name="place_spend"),
    path("places/<slug:slug>/spend/upload/", spend.place_spend_upload, name="place_spend_upload"),
    path(
        "places/<slug:slug>/spend/pending/<slug:token>/",
        spend.place_spend_pending,
        name="place_spend_pending",
    ),
    path("funds/<slug:code>/settlement/", funds.fund_settlement, name="fund_settlement"),
    path(
        "funds/<slug:code>/settlement.xlsx",
        funds.fund_settlement_xlsx,
        name="fund_settlement_xlsx",
    ),
    path("places/<slug:slug>/allocation/", allocation.place_allocation, name="place_allocation"),
    path(
        "places/<slug:slug>/allocation/builder/",
        allocation.place_allocation_builder,
        name="place_allocation_builder",
    ),
    path(
        "places/<slug:slug>/allocation/session.json",
        allocation.place_allocation_session,
        name="place_allocation_session",
    ),
    path(
        "places/<slug:slug>/allocation/budget/",
        allocation.place_allocation_budget,
        name="place_allocation_budget",
    ),
    path(
        "places/<slug:slug>/allocation/places/<int:pk>/delete/",
        allocation.place_allocation_delete,
        name="place_allocation_delete",
    ),
    path(
        "places/<slug:slug>/allocation/allocate/",
        allocation.place_allocation_budget_form,
        name="place_allocation_budget_form",
    ),
    path(
        "places/<slug:slug>/allocation/budget.yaml",
        allocation.place_allocation_budget_yaml,
        name="place_allocation_budget_yaml",
    ),
    path("healthz", core.healthz, name="healthz"),
    path("api/", api.urls),
]
