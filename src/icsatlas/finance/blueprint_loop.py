"""The reorganisation-bill model written as plain Python loops, one draw and ICB at a time.

It is deliberately the obvious transcription of the rules in :mod:`blueprint`, with the
exact (closed-form) expected months rather than the interpolated table: the tests use it
as an oracle for the vectorised engine, and ``bench/finance.py`` as its baseline.
"""

from __future__ import annotations

import math

from icsatlas.finance.blueprint import NUMERIC, Model


def national_net_by_year(model: Model, inputs: dict, draw: int) -> list[float]:
    """National net saving in each year for one draw."""
    value = {name: float(inputs[name][draw]) for name in NUMERIC}
    shape = int(inputs["phasing"][draw])
    baselines = [
        model.rca[i] + value["programme_pay_per_head"] * model.population[i]
        for i in range(len(model.rca))
    ]
    total_baseline = sum(baselines)
    net_total = 0.0
    cost_total = 0.0
    for i, baseline in enumerate(baselines):
        net, cost = _icb(model, value, i, baseline, total_baseline)
        net_total += net
        cost_total += cost
    return [
        net_total * model.savings_factor[shape][t] - cost_total * model.cost_factor[shape][t]
        for t in range(len(model.year_labels))
    ]


def _icb(
    model: Model, value: dict, i: int, baseline: float, total_baseline: float
) -> tuple[float, float]:
    delivered = max(baseline - model.envelope[i], 0.0) * value["delivery"]
    own = model.own_headcount[i]
    headcount = value["headcount"] * baseline / total_baseline if math.isnan(own) else own
    cost_per_post = model.cost_per_post[i]
    posts = min(delivered * value["pay_share"] / cost_per_post, headcount)
    pay_saving = posts * cost_per_post
    gross = pay_saving + delivered * (1 - value["pay_share"])
    net = gross - pay_saving * value["rehire_share"]
    leavers = posts * (1 - value["attrition_share"])
    return net, leavers * _cost_per_leaver(model, value, i)


def _cost_per_leaver(model: Model, value: dict, i: int) -> float:
    rules, mars = model.rules, model.mars_terms
    months_out = value["reemployment_months"]
    if model.clawback_all:
        repay = 1.0 if months_out < model.clawback_window else 0.0
    else:
        repay = min(max(1 - months_out / model.clawback_window, 0.0), 1.0)
    kept = 1 - value["reemployment_share"] * repay
    vr, via_mars = value["vr_share"], value["mars_share"]
    total = 0.0
    for b in range(len(model.month_pay)):
        mean = value["service_scale"] * model.service[model.profile[i]][b]
        section16 = model.month_pay[b] * _expected_years(
            mean, rules.qualifying_years, rules.maximum_months
        )
        mars_years = int(mars["maximum_months"] / mars["months_per_year"])
        by_mars = (
            model.mars_month_pay[b]
            * mars["months_per_year"]
            * _expected_years(mean, mars["minimum_service"], mars_years)
        )
        extra = value["compulsory_extra_months"] * model.monthly_salary[b]
        per_leaver = (1 - vr) * (section16 + extra) + vr * (
            (1 - via_mars) * section16 * kept + via_mars * by_mars
        )
        total += model.mix[i][b] * per_leaver
    return total


def _expected_years(mean: float, qualifying: float, maximum: int) -> float:
    rate = 2.0 / max(mean, 1e-9)
    q = max(math.ceil(qualifying), 1)

    def survival(years: float) -> float:
        return math.exp(-rate * years) * (1 + rate * years)

    return q * survival(q) + sum(survival(n) for n in range(q + 1, maximum + 1))
