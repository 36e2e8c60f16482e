"""The self-reinforcing cycle: market share and adoption feed revenue, revenue feeds compute.

Each stack's AI revenue is its home market's adoption plus its share of the third-country
markets, weighted by each market's share of world GDP:

    R_s(t) = w_s a_s(t) + sum_m w_m abar(t) share[m, s](t),

where abar is the GDP-weighted adoption of the two blocs (third countries are assumed to adopt
at their pace). Adoption is a share of firms (the BTOS measure); AI spending is taken as
proportional to it in every economy, so only ratios of adoption matter here and a common factor
between firm share and spending cancels (an assumption: it ignores that large firms adopt more).
A stack's share of world AI revenue, pi_s = R_s / (R_us + R_cn + R_neither),
scales its compute investment relative to the baseline projections, which already assume the
2025 outlook:

    invest_s(t) = (pi_s(t) / pi0_s) ** (eta * on),

with pi0_s the revenue share of that outlook (month 0's adoption with buyers' 2025 choice abroad,
which the installed base, lagging at month 0, moves towards), eta the revenue-investment
elasticity and `on` in {0, 1} the parameter that turns the feedback off. A stack that wins share
invests more and builds more compute; one that loses share invests less.
"""

from __future__ import annotations

from ailead.model.arrays import namespace


def revenue_shares(adoption, weights, installed):
    """World AI revenue shares of the two stacks, (stack, samples).

    adoption: (bloc, samples) home adoption of us, cn; weights: {"home": (bloc, samples),
    "home_total": their sum, "markets": (market, samples) GDP shares of the two third-country
    markets}; installed: (market, stack, samples) shares abroad. With s in {us, cn}, m the two
    markets and share[m, s] the installed shares:
        abar = (w_us * a_us + w_cn * a_cn) / (w_us + w_cn)
        R_s = w_s * a_s + sum(w_m * abar * share[m, s] for m in markets)
        pi_s = R_s / (w_us * a_us + w_cn * a_cn + sum(w_m * abar for m in markets))
    """
    home = weights["home"] * adoption
    home_total = home[0] + home[1]
    abar = home_total / weights["home_total"]
    spend = weights["markets"] * abar  # (market, samples)
    revenue = home + spend[0] * installed[0] + spend[1] * installed[1]
    return revenue / (home_total + spend[0] + spend[1])


def investment_multiplier(revenue_share, revenue_share0, elasticity, on):
    """(pi / pi0) ** (eta * on): 1 at the outlook's revenue share, and always 1 with it off."""
    xp = namespace(revenue_share, revenue_share0, elasticity, on)
    return xp.exp(elasticity * on * xp.log(xp.maximum(revenue_share, 1e-9) / revenue_share0))
