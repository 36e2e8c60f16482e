"""Global distribution: third-country AI markets shared by the US stack, the PRC stack and neither.

Each market m (other developed economies; the Global South) chooses among suppliers s in
{us, cn} and `neither` (local stacks, or no AI) by a multinomial logit. The utility of a stack is

    V[m, s](t) = k[m, s] + b_cap * trust[m, s] * r_s(t) - b_price * (ln p_s(t) - ln p_min(t))
                 - b_price * ln(price_s) + b_onprem * open_s + b_promo * promo_s
                 + b_net * share[m, s](t),

with V[m, neither] = 0. Buyers compare stacks with each other, not with their own past:

- r_s = I_s - max(I_us, I_cn) [OOM] is the stack's capability relative to the best of the two
  (0 for the leader, minus the gap for the follower). When both stacks advance together nothing
  moves; when the follower closes the gap its share rises. trust[m, s] weights the PRC stack's
  term (markets that restrict PRC models care less about its standing either way).
- ln p_s - ln p_min is the stack's inference price relative to the cheaper one, with
  ln p_s = -s ln(X_s(t) / X_s(0)) from the compute X_s the stack can serve from and the scarcity
  pass-through s (0 at the start): a stack whose compute grows more slowly serves abroad at a
  relatively higher price. Home users are not subtracted, so a bloc that adopts more slowly at
  home does not become cheaper abroad (that second-order channel would let a switch that slows
  the PRC at home raise its share abroad).
- price_s falls with export subsidies and open weights; open_s is the share of the stack's
  frontier released as open weights (on-premises deployability); promo_s the export-promotion
  effort in [0, 1]; the last term is the installed-base network effect, so early share compounds.

The start is not an equilibrium. Buyers' choice at the start, sigma(V(0)), is the 2025 share read
on OpenRouter (where a request can change model at once, so its token shares are choices), while
the installed base of use abroad (contracts, integrations, apps) still holds the late-2024 share:
the PRC's installed share starts at a fraction f of its choice share and the US stack holds the
rest (`starting_installed`). The constants k[m, s] are set so that sigma(k + drivers(0)) equals
the choice shares at the start, drivers including the network term at the installed shares.
`policy_utility` holds the terms that move only with policy (price, open weights, promotion) and
`market_utility` those that move every month. The installed base moves towards the choice at the
switching rate c [1/month]:

    share(t+1) = share(t) + c * (sigma(V(t)) - share(t)),

so the PRC's installed share rises from f sigma_cn(0) towards its choice share (and beyond, as its
network term grows) even when nothing else moves.

Units: shares in [0, 1] of a market's AI use; utilities in log-odds against `neither`.
"""

from __future__ import annotations

from ailead.model.arrays import namespace

MARKETS = ("developed", "global-south")
SUPPLIERS = ("us", "cn", "neither")


def logit_shares(utility_us, utility_cn):
    """Choice shares (us, cn, neither) for utilities relative to `neither` (= 0); stable softmax.

    sigma_s = exp(V_s) / (1 + exp(V_us) + exp(V_cn))   for s in {us, cn},
    sigma_neither = 1 / (1 + exp(V_us) + exp(V_cn)),
    computed with the largest of V_us, V_cn and 0 subtracted from each utility first.
    """
    xp = namespace(utility_us, utility_cn)
    top = xp.maximum(xp.maximum(utility_us, utility_cn), 0.0)
    e_us, e_cn, e_none = xp.exp(utility_us - top), xp.exp(utility_cn - top), xp.exp(-top)
    total = e_us + e_cn + e_none
    return e_us / total, e_cn / total, e_none / total


def starting_installed(choice_us, choice_cn, installed_fraction_cn):
    """Installed shares (us, cn) at the start from the choice shares at the start [share].

    s_cn(0) = f * sigma_cn(0);  s_us(0) = sigma_us(0) + (1 - f) * sigma_cn(0);  f in [0, 1]:
    the PRC's shortfall is held by the US stack (the rest of OpenRouter's late-2024 tokens were
    mostly US models), so the share of `neither` is the same in the choice and the installed base.
    """
    return choice_us + (1.0 - installed_fraction_cn) * choice_cn, installed_fraction_cn * choice_cn


def calibrated_constants(share_us, share_cn, drivers_us, drivers_cn):
    """Constants k so that sigma(k + drivers) equals the choice shares at the start.

    k_s = ln(share_s / share_neither) - drivers_s(0), drivers_s(0) at the installed shares.
    """
    xp = namespace(share_us, share_cn, drivers_us, drivers_cn)
    share_none = 1.0 - share_us - share_cn
    return xp.log(share_us / share_none) - drivers_us, xp.log(share_cn / share_none) - drivers_cn


def stack_price(subsidy, promotion, open_discount, open_share):
    """Price index of a stack abroad (start-free): (1 - subsidy * promo) * (1 - d_open * open)."""
    return (1.0 - subsidy * promotion) * (1.0 - open_discount * open_share)


def policy_utility(price, open_share, promotion, b):
    """The part of a stack's utility that moves only with policy: price, open weights, promotion.

    V_policy = -b_price * ln(price) + b_onprem * open + b_promo * promo
    """
    xp = namespace(price, open_share, promotion, b)
    return -b["price"] * xp.log(price) + b["onprem"] * open_share + b["promo"] * promotion


def relative_capability(capability_us, capability_cn):
    """r_s = I_s - max(I_us, I_cn) [OOM], (stack, samples): 0 for the leader, -gap for the other."""
    xp = namespace(capability_us, capability_cn)
    best = xp.maximum(capability_us, capability_cn)
    return xp.stack([capability_us - best, capability_cn - best])


def log_serving_price(compute, compute0, scarcity):
    """ln p_s = -s ln(X_s / X_s(0)): a stack's inference price index abroad, 0 at the start.

    ln(p_s) = -s * ln(X_s / X_s(0)), X_s the compute the stack serves from, s the scarcity
    pass-through.
    """
    xp = namespace(compute, compute0, scarcity)
    return -scarcity * xp.log(compute / compute0)


def relative_log_price(log_price):
    """ln p_s - min(ln p_us, ln p_cn), (stack, samples): 0 for the cheaper stack, >= 0.

    ln(p_s) - ln(p_min) = ln(p_s) - min(ln(p_us), ln(p_cn))
    """
    xp = namespace(log_price)
    return log_price - xp.minimum(log_price[0], log_price[1])


def market_utility(relative_cap, relative_price, trust, installed, b):
    """The part that moves every month: b_cap trust r - b_price (ln p - ln p_min) + b_net share.

    V_market = b_cap * trust * r - b_price * (ln(p) - ln(p_min)) + b_net * share
    relative_cap, relative_price: (stack, samples); trust, installed: (market, stack, samples).
    """
    return b["cap"] * trust * relative_cap - b["price"] * relative_price + b["net"] * installed


def adjust(installed, chosen, switching_rate):
    """Installed base after one month: share + c * (choice - share), c in [0, 1]."""
    return installed + switching_rate * (chosen - installed)
