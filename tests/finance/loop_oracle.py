"""The reorganisation-bill model written again, independently, as plain Python loops.

A test oracle (and ``bench/finance.py``'s baseline), not part of the package: it imports
nothing of the code it checks (``blueprint``, ``redundancy``, ``service``). It takes the
run's *data* from the model (allowances, populations, staff mix and service profiles, which
may come from a user's headcount file) and reads every rule and assumption straight from
the parameters, then follows the rules as their sources state them, one draw, ICB, band
and year of service at a time:

* Section 16: one month's pay per complete year of reckonable service, at most 24;
  a month's pay is 1/12 of salary floored at £23,000 and capped at £80,000; nothing
  under two years' service;
* MARS: the assumed terms (half a month a year, up to 12 months, salary capped);
* clawback: a voluntary leaver re-employed within the window repays pro rata (or all);
  the window is 12 months for senior bands and payments over £100,000, else 6;
* service in a band is Erlang-2 around its mean: P(at least y years) = e^(-ry) (1 + ry),
  r = 2 / mean, summed year by year far beyond any career;
* exits are spread over the exit window's quarters by the phasing shape; payments fall in
  the quarter of exit and savings start the quarter after.
"""

from __future__ import annotations

import math
from datetime import date

from icsatlas.finance.scenario import PHASINGS

BANDS = (
    "band_2_4", "band_5", "band_6", "band_7", "band_8a",
    "band_8b", "band_8c", "band_8d", "band_9", "vsm",
)  # fmt: skip
NUMERIC = (
    "headcount", "programme_pay_per_head", "delivery", "pay_share", "attrition_share",
    "vr_share", "mars_share", "service_scale", "compulsory_extra_months", "rehire_share",
    "reemployment_share", "reemployment_months",
)  # fmt: skip
LONGEST_CAREER = 400  # years summed over; P(service >= 400 years) is negligible for any mean here


class Oracle:
    """The rules and assumptions of one plan, read from its parameters."""

    def __init__(self, plan, model):
        params, self.plan, self.model = plan.params, plan, model
        first = date(int(plan.first_year[:4]), 4, 1)
        window = params.value("finance.blueprint.exit_window", first)
        exits = window["first_quarter"]
        self.window = window
        self.target = float(params.value("finance.running_costs.target_per_head", first))
        salaries = params.value("finance.workforce.salaries_by_band", first)
        self.salary = [float(salaries[b]) for b in BANDS]
        self.oncost = float(params.value("finance.workforce.oncost_rate", first))
        self.floor = float(params.value("finance.redundancy.earnings_floor", exits))
        self.cap = float(params.value("finance.redundancy.earnings_cap", exits))
        self.maximum = int(params.value("finance.redundancy.maximum_months", exits))
        self.qualifying = float(params.value("finance.redundancy.qualifying_service", exits))
        self.mars = params.value("finance.redundancy.mars_terms", exits)
        self.windows = params.value("finance.redundancy.vr_clawback_months", exits)
        self.threshold = float(
            params.value("finance.redundancy.vr_clawback_senior_threshold", exits)
        )
        self.rule = params.value("finance.redundancy.vr_clawback_rule", exits)
        senior = params.value("finance.redundancy.vr_clawback_senior_bands", exits)
        self.senior = [bool(senior[b]) for b in BANDS]
        self.remembered: dict[tuple, float] = {}  # ICBs share service profiles: price each once

    # -- the rules, one leaver at a time ---------------------------------------------------
    def section16(self, band: int, years: int) -> float:
        if years < self.qualifying:
            return 0.0
        month = min(max(self.salary[band], self.floor), self.cap) / 12
        return round(min(years, self.maximum) * month, 2)

    def mars_pay(self, band: int, years: int) -> float:
        terms = self.mars
        if years < terms["minimum_service"]:
            return 0.0
        months = min(years * terms["months_per_year"], terms["maximum_months"])
        return round(months * min(self.salary[band], terms["salary_cap"]) / 12, 2)

    def repaid_share(self, band: int, payment: float, months_out: float) -> float:
        senior = self.senior[band] or payment > self.threshold
        window = self.windows["senior"] if senior else self.windows["standard"]
        if months_out >= window:
            return 0.0
        return 1.0 if self.rule == "all" else (window - months_out) / window

    def cost_per_leaver(self, band: int, mean: float, value: dict) -> float:
        """Expected payment for a paid leaver of ``band`` whose service averages ``mean``."""
        key = (band, mean, *sorted(value.items()))
        if key not in self.remembered:
            self.remembered[key] = self._cost_per_leaver(band, mean, value)
        return self.remembered[key]

    def _cost_per_leaver(self, band: int, mean: float, value: dict) -> float:
        rate = 2.0 / max(mean, 1e-9)

        def at_least(years: float) -> float:
            return math.exp(-rate * years) * (1 + rate * years)

        vr, via_mars = value["vr_share"], value["mars_share"]
        extra = value["compulsory_extra_months"] * self.salary[band] / 12
        total = 0.0
        for years in range(LONGEST_CAREER):
            probability = at_least(years) - at_least(years + 1)
            pay = self.section16(band, years)
            back = value["reemployment_share"] * self.repaid_share(
                band, pay, value["reemployment_months"]
            )
            compulsory = pay + extra
            voluntary = (1 - via_mars) * pay * (1 - back) + via_mars * self.mars_pay(band, years)
            total += probability * ((1 - vr) * compulsory + vr * voluntary)
        return total

    # -- timing ------------------------------------------------------------------------------
    def phasing(self, shape: str) -> tuple[list[float], list[float]]:
        """Each year's savings (share of a full year) and share of exits, for one shape."""
        quarters = int(self.window["quarters"])
        weights = {
            "step": [1.0] + [0.0] * (quarters - 1),
            "linear": [1.0] * quarters,
            "front-loaded": [float(quarters - k) for k in range(quarters)],
            "back-loaded": [float(k + 1) for k in range(quarters)],
        }[shape]
        first = self.window["first_quarter"]
        start_year = int(self.plan.first_year[:4])
        offset = (first.year - start_year) * 4 + (first.month - 4) // 3
        exits = [0.0] * (self.plan.years * 4)
        for k, weight in enumerate(weights):
            if 0 <= offset + k < len(exits):
                exits[offset + k] = weight / sum(weights)
        savings, costs = [], []
        for year in range(self.plan.years):
            quarters_of_year = range(4 * year, 4 * year + 4)
            savings.append(sum(sum(exits[:q]) for q in quarters_of_year) / 4)
            costs.append(sum(exits[q] for q in quarters_of_year))
        return savings, costs

    # -- the whole model -----------------------------------------------------------------------
    def national_net_by_year(self, inputs: dict, draw: int) -> list[float]:
        value = {name: float(inputs[name][draw]) for name in NUMERIC}
        model = self.model
        baselines = [
            model.rca[i] + value["programme_pay_per_head"] * model.population[i]
            for i in range(len(model.rca))
        ]
        net_total = cost_total = 0.0
        for i, baseline in enumerate(baselines):
            net, cost = self.icb(i, value, baseline, sum(baselines))
            net_total += net
            cost_total += cost
        savings, costs = self.phasing(PHASINGS[int(inputs["phasing"][draw])])
        return [net_total * s - cost_total * c for s, c in zip(savings, costs, strict=True)]

    def icb(self, i: int, value: dict, baseline: float, all_baselines: float):
        model = self.model
        mix = [float(model.mix[i][b]) for b in range(len(BANDS))]
        cost_per_post = sum(m * s for m, s in zip(mix, self.salary, strict=True)) * (
            1 + self.oncost
        )
        delivered = max(baseline - self.target * model.population[i], 0.0) * value["delivery"]
        own = model.own_headcount[i]
        headcount = value["headcount"] * baseline / all_baselines if math.isnan(own) else own
        posts = min(delivered * value["pay_share"] / cost_per_post, headcount)
        pay_saving = posts * cost_per_post
        net = pay_saving * (1 - value["rehire_share"]) + delivered * (1 - value["pay_share"])
        leavers = posts * (1 - value["attrition_share"])
        profile = model.service[model.profile[i]]
        per_leaver = sum(
            mix[b] * self.cost_per_leaver(b, value["service_scale"] * float(profile[b]), value)
            for b in range(len(BANDS))
        )
        return net, leavers * per_leaver
