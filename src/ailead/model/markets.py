"""Global distribution: third-country AI markets shared by the US stack, the PRC stack and neither.

Each market m (other developed economies; the Global South) chooses among suppliers s in
{us, cn} and `neither` (no AI, or local stacks) by a multinomial logit. The utility of a stack is

    V[m, s](t) = k[m, s] + b_cap * trust[m, s] * dI_s(t) - b_price * ln(price_s(t))
                 + b_onprem * open_s(t) + b_promo * promo_s(t) + b_net * share[m, s](t),

with V[m, neither] = 0. dI_s is the stack's capability gain since the start [OOM], weighted by the
market's trust in that stack; price_s falls with export subsidies and open weights; open_s is the
share of the stack's frontier released as open weights (on-premises deployability); promo_s the
export-promotion effort in [0, 1]; the last term is the installed-base network effect, so early
share compounds. The constants k[m, s] are set so that the choice at the start reproduces the
observed 2025 shares. `policy_utility` holds the terms that move only with policy (price,
open weights, promotion) and `market_utility` those that move every month. The installed base
moves towards the choice at the switching rate c [1/month]:

    share(t+1) = share(t) + c * (sigma(V(t)) - share(t)),

a convex combination of two points of the simplex, so shares stay in [0, 1] and sum to 1.
"""

from __future__ import annotations

from ailead.model.arrays import namespace

MARKETS = ("developed", "global-south")
SUPPLIERS = ("us", "cn", "neither")


def logit_shares(utility_us, utility_cn):
    """Choice shares (us, cn, neither) for utilities relative to `neither` (= 0); stable softmax."""
    xp = namespace(utility_us, utility_cn)
    top = xp.maximum(xp.maximum(utility_us, utility_cn), 0.0)
    e_us, e_cn, e_none = xp.exp(utility_us - top), xp.exp(utility_cn - top), xp.exp(-top)
    total = e_us + e_cn + e_none
    return e_us / total, e_cn / total, e_none / total


def calibrated_constants(share_us, share_cn, drivers_us, drivers_cn):
    """Constants k so that sigma(k + drivers) equals the observed starting shares.

    k_s = ln(share_s / share_neither) - drivers_s(0).
    """
    xp = namespace(share_us, share_cn, drivers_us, drivers_cn)
    share_none = 1.0 - share_us - share_cn
    return xp.log(share_us / share_none) - drivers_us, xp.log(share_cn / share_none) - drivers_cn


def stack_price(subsidy, promotion, open_discount, open_share):
    """Price index of a stack abroad (start-free): (1 - subsidy * promo) * (1 - d_open * open)."""
    return (1.0 - subsidy * promotion) * (1.0 - open_discount * open_share)


def policy_utility(price, open_share, promotion, b):
    """The part of a stack's utility that moves only with policy: price, open weights, promotion.

    -b_price ln(price) + b_onprem open + b_promo promo.
    """
    xp = namespace(price, open_share, promotion, b)
    return -b["price"] * xp.log(price) + b["onprem"] * open_share + b["promo"] * promotion


def market_utility(capability_gain, trust, installed, b):
    """The part that moves every month: b_cap trust dI + b_net share."""
    return b["cap"] * trust * capability_gain + b["net"] * installed


def adjust(installed, chosen, switching_rate):
    """Installed base after one month: share + c * (choice - share), c in [0, 1]."""
    return installed + switching_rate * (chosen - installed)
