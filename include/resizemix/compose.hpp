// resizemix/compose.hpp: choosing among mixers per sample, at compile time or at run time.
//
// one_of(weighted{resize_mix{}, 0.5}, weighted{cut_mix{}, 0.5}) keeps the
// mixer types (no virtual calls); one_of({{resize_mix{}, 0.5}, {cut_mix{}, 0.5}})
// erases them into any_mixer, for mixers picked at run time (the CLI).
// sometimes(mixer, p) mixes with probability p and otherwise leaves the
// target untouched (lambda 0). Each draws one uniform, then the chosen mixer draws.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "mix_info.hpp"
#include "mixer.hpp"
#include "random.hpp"
#include "saliency_map.hpp"
#include "view.hpp"

namespace resizemix {

namespace detail {

/// Index of the branch chosen by one uniform draw, with probability weight / total.
inline int pick_branch(std::span<const double> weights, rng& random) {
    double total = 0.0;
    for (const double w : weights) total += w;
    const double point = random.uniform() * total;
    double cumulative = 0.0;
    for (std::size_t k = 0; k < weights.size(); ++k) {
        cumulative += weights[k];
        if (point < cumulative) return static_cast<int>(k);
    }
    // Rounding can leave point == total: take the last branch with weight.
    for (std::size_t k = weights.size(); k-- > 0;)
        if (weights[k] > 0.0) return static_cast<int>(k);
    return 0;
}

inline void check_weights(std::span<const double> weights) {
    if (weights.empty()) fail("one_of", "needs at least one mixer");
    double total = 0.0;
    for (std::size_t k = 0; k < weights.size(); ++k) {
        if (!std::isfinite(weights[k]) || weights[k] < 0.0) {
            fail("one_of", "weight ", k, " must be finite and >= 0, got ", weights[k]);
        }
        total += weights[k];
    }
    if (!(total > 0.0)) fail("one_of", "the weights must not all be zero");
}

/// Records that branch `choice` of a one_of ran, on top of the branches its
/// (possibly composed) mixer took: one byte per level, outermost lowest.
inline void push_branch(mix_info& info, int choice) {
    if (choice > 254) fail("one_of", "supports at most 255 mixers, got branch ", choice);
    if (info.branch_path >> 56U) fail("one_of", "nesting deeper than 8 levels is not supported");
    info.branch_path = (info.branch_path << 8U) | static_cast<std::uint64_t>(choice + 1);
    info.choice = choice;
}

/// The branch this level took, and the info its mixer should see.
inline std::pair<int, mix_info> pop_branch(const mix_info& info) {
    mix_info inner = info;
    inner.branch_path = info.branch_path >> 8U;
    return {static_cast<int>(info.branch_path & 0xffU) - 1, inner};
}

/// Wraps any provider as the std::function the type-erased path passes on.
template <class Provider>
saliency_callback as_callback(Provider& provider) {
    if constexpr (std::is_same_v<std::remove_cvref_t<Provider>, saliency_callback>) {
        return provider;
    } else {
        return [&provider](const saliency_query& query) -> saliency_map { return provider(query); };
    }
}

}  // namespace detail

/// A mixer whose type is chosen at run time. Holds any `mixer` by value (shared, immutable).
class any_mixer {
public:
    static constexpr const char* name = "any_mixer";

    template <mixer M>
        requires(!std::same_as<std::remove_cvref_t<M>, any_mixer>)
    any_mixer(M m)  // NOLINT: implicit, so one_of({{resize_mix{}, 1}, ...}) reads naturally
        : model_(std::make_shared<const model<M>>(std::move(m))) {}

    void validate() const { model_->validate(); }

    /// The wrapped mixer's capability (see mixer.hpp), kept through type erasure.
    [[nodiscard]] bool patch_may_alias_target() const { return model_->patch_may_alias_target(); }

    template <class SourceT, class TargetT, saliency_provider Provider>
    mix_info plan(image_view<SourceT> source, image_view<TargetT> target, rng& random, Provider&& saliency) const {
        using T = std::remove_const_t<SourceT>;
        const saliency_callback callback = detail::as_callback(saliency);
        if constexpr (std::is_same_v<T, std::uint8_t>) {
            return model_->plan_bytes(source, target, random, callback);
        } else {
            return model_->plan_floats(source, target, random, callback);
        }
    }

    template <class SourceT, class TargetT, class T>
    void render(const mix_info& info, image_view<SourceT> source, image_view<TargetT> target, image_view<T> patch) const {
        if constexpr (std::is_same_v<T, std::uint8_t>) {
            model_->render_bytes(info, source, target, patch);
        } else {
            model_->render_floats(info, source, target, patch);
        }
    }

    /// Mixes `source` into `target`, writing `out` (which may be the target itself); each may be an
    /// image_view or an owning image. Returns what it did.
    template <class Source, class Target, class Out, saliency_provider Provider = no_saliency>
    mix_info operator()(Source&& source, Target&& target, Out&& out, rng& random, Provider&& saliency = {}) const {
        return run_mixer(*this, detail::mixer_argument(source), detail::mixer_argument(target),
                         detail::mixer_argument(out), random, saliency);
    }

private:
    using bytes = image_view<const std::uint8_t>;
    using floats = image_view<const float>;
    struct concept_base {
        virtual ~concept_base() = default;
        virtual void validate() const = 0;
        virtual bool patch_may_alias_target() const = 0;
        virtual mix_info plan_bytes(bytes, bytes, rng&, const saliency_callback&) const = 0;
        virtual mix_info plan_floats(floats, floats, rng&, const saliency_callback&) const = 0;
        virtual void render_bytes(const mix_info&, bytes, bytes, image_view<std::uint8_t>) const = 0;
        virtual void render_floats(const mix_info&, floats, floats, image_view<float>) const = 0;
    };
    template <class M>
    struct model final : concept_base {
        explicit model(M m) : mixer(std::move(m)) {}
        void validate() const override { validate_mixer(mixer); }
        bool patch_may_alias_target() const override { return resizemix::patch_may_alias_target(mixer); }
        mix_info plan_bytes(bytes s, bytes t, rng& r, const saliency_callback& c) const override { return mixer.plan(s, t, r, c); }
        mix_info plan_floats(floats s, floats t, rng& r, const saliency_callback& c) const override { return mixer.plan(s, t, r, c); }
        void render_bytes(const mix_info& i, bytes s, bytes t, image_view<std::uint8_t> p) const override { mixer.render(i, s, t, p); }
        void render_floats(const mix_info& i, floats s, floats t, image_view<float> p) const override { mixer.render(i, s, t, p); }
        M mixer;
    };
    std::shared_ptr<const concept_base> model_;
};

/// A mixer with the weight of its branch in one_of.
template <class Mixer>
struct weighted {
    Mixer mixer;
    double weight = 1.0;
};
template <class Mixer>
weighted(Mixer, double) -> weighted<Mixer>;

/// Picks one of several mixers per sample, with probability proportional to its weight.
/// The mix_info's `choice` is the index of the branch that ran.
template <class... Mixers>
class one_of_mixer {
public:
    static constexpr const char* name = "one_of";

    explicit one_of_mixer(weighted<Mixers>... branches)
        : mixers_(std::move(branches.mixer)...), weights_{branches.weight...} {
        detail::check_weights(weights_);
    }

    void validate() const {
        std::apply([](const auto&... m) { (validate_mixer(m), ...); }, mixers_);
    }

    /// True when every branch's patch may alias its target (see mixer.hpp).
    [[nodiscard]] bool patch_may_alias_target() const {
        return std::apply([](const auto&... m) { return (resizemix::patch_may_alias_target(m) && ...); }, mixers_);
    }

    template <class SourceT, class TargetT, saliency_provider Provider>
    mix_info plan(image_view<SourceT> source, image_view<TargetT> target, rng& random, Provider&& saliency) const {
        validate();
        const int choice = detail::pick_branch(weights_, random);
        mix_info info = visit(choice, [&](const auto& m) { return m.plan(source, target, random, saliency); });
        detail::push_branch(info, choice);
        return info;
    }

    template <class SourceT, class TargetT, class T>
    void render(const mix_info& info, image_view<SourceT> source, image_view<TargetT> target, image_view<T> patch) const {
        const auto branch = detail::pop_branch(info);
        visit(branch.first, [&](const auto& m) { m.render(branch.second, source, target, patch); });
    }

    /// Mixes `source` into `target`, writing `out` (which may be the target itself); each may be an
    /// image_view or an owning image. Returns what it did.
    template <class Source, class Target, class Out, saliency_provider Provider = no_saliency>
    mix_info operator()(Source&& source, Target&& target, Out&& out, rng& random, Provider&& saliency = {}) const {
        return run_mixer(*this, detail::mixer_argument(source), detail::mixer_argument(target),
                         detail::mixer_argument(out), random, saliency);
    }

private:
    template <class F, std::size_t... I>
    decltype(auto) visit_impl(int choice, F&& f, std::index_sequence<I...>) const {
        using result = decltype(f(std::get<0>(mixers_)));
        if constexpr (std::is_void_v<result>) {
            (void)((choice == static_cast<int>(I) ? (f(std::get<I>(mixers_)), true) : false) || ...);
        } else {
            result out{};
            (void)((choice == static_cast<int>(I) ? (out = f(std::get<I>(mixers_)), true) : false) || ...);
            return out;
        }
    }
    template <class F>
    decltype(auto) visit(int choice, F&& f) const {
        return visit_impl(choice, std::forward<F>(f), std::index_sequence_for<Mixers...>{});
    }

    std::tuple<Mixers...> mixers_;
    std::array<double, sizeof...(Mixers)> weights_;
};

/// one_of over run-time mixers: `one_of({{resize_mix{}, 0.5}, {cut_mix{}, 0.5}})`.
class one_of_any {
public:
    static constexpr const char* name = "one_of";

    explicit one_of_any(std::vector<weighted<any_mixer>> branches) : branches_(std::move(branches)) {
        for (const auto& branch : branches_) weights_.push_back(branch.weight);
        detail::check_weights(weights_);
    }

    void validate() const {
        for (const auto& branch : branches_) branch.mixer.validate();
    }

    /// True when every branch's patch may alias its target (see mixer.hpp).
    [[nodiscard]] bool patch_may_alias_target() const {
        return std::all_of(branches_.begin(), branches_.end(),
                           [](const auto& branch) { return branch.mixer.patch_may_alias_target(); });
    }

    template <class SourceT, class TargetT, saliency_provider Provider>
    mix_info plan(image_view<SourceT> source, image_view<TargetT> target, rng& random, Provider&& saliency) const {
        validate();
        const int choice = detail::pick_branch(weights_, random);
        mix_info info = branches_[static_cast<std::size_t>(choice)].mixer.plan(source, target, random, saliency);
        detail::push_branch(info, choice);
        return info;
    }

    template <class SourceT, class TargetT, class T>
    void render(const mix_info& info, image_view<SourceT> source, image_view<TargetT> target, image_view<T> patch) const {
        const auto branch = detail::pop_branch(info);
        branches_.at(static_cast<std::size_t>(branch.first)).mixer.render(branch.second, source, target, patch);
    }

    /// Mixes `source` into `target`, writing `out` (which may be the target itself); each may be an
    /// image_view or an owning image. Returns what it did.
    template <class Source, class Target, class Out, saliency_provider Provider = no_saliency>
    mix_info operator()(Source&& source, Target&& target, Out&& out, rng& random, Provider&& saliency = {}) const {
        return run_mixer(*this, detail::mixer_argument(source), detail::mixer_argument(target),
                         detail::mixer_argument(out), random, saliency);
    }

private:
    std::vector<weighted<any_mixer>> branches_;
    std::vector<double> weights_;
};

/// Compile-time choice among mixers: `one_of(weighted{resize_mix{}, 0.7}, weighted{cut_mix{}, 0.3})`.
template <mixer... Mixers>
[[nodiscard]] one_of_mixer<Mixers...> one_of(weighted<Mixers>... branches) {
    return one_of_mixer<Mixers...>(std::move(branches)...);
}

/// Run-time choice among type-erased mixers: `one_of({{resize_mix{}, 0.7}, {cut_mix{}, 0.3}})`.
[[nodiscard]] inline one_of_any one_of(std::initializer_list<weighted<any_mixer>> branches) {
    return one_of_any(std::vector<weighted<any_mixer>>(branches));
}

/// Mixes with probability `probability`; otherwise the output is the target, with
/// lambda 0, an empty box and method "none".
template <mixer Mixer>
class sometimes_mixer {
public:
    static constexpr const char* name = "sometimes";

    sometimes_mixer(Mixer m, double probability) : mixer_(std::move(m)), probability_(probability) {
        if (!(probability >= 0.0 && probability <= 1.0)) {
            detail::fail("sometimes", "probability must be in [0, 1], got ", probability);
        }
    }

    void validate() const { validate_mixer(mixer_); }

    /// The wrapped mixer's capability: a skipped sample renders nothing.
    [[nodiscard]] bool patch_may_alias_target() const { return resizemix::patch_may_alias_target(mixer_); }

    template <class SourceT, class TargetT, saliency_provider Provider>
    mix_info plan(image_view<SourceT> source, image_view<TargetT> target, rng& random, Provider&& saliency) const {
        validate();
        if (!(random.uniform() < probability_)) return mix_info{};
        return mixer_.plan(source, target, random, saliency);
    }

    template <class SourceT, class TargetT, class T>
    void render(const mix_info& info, image_view<SourceT> source, image_view<TargetT> target, image_view<T> patch) const {
        // Only called for a non-empty box, which a skipped sample never has.
        mixer_.render(info, source, target, patch);
    }

    /// Mixes `source` into `target`, writing `out` (which may be the target itself); each may be an
    /// image_view or an owning image. Returns what it did.
    template <class Source, class Target, class Out, saliency_provider Provider = no_saliency>
    mix_info operator()(Source&& source, Target&& target, Out&& out, rng& random, Provider&& saliency = {}) const {
        return run_mixer(*this, detail::mixer_argument(source), detail::mixer_argument(target),
                         detail::mixer_argument(out), random, saliency);
    }

private:
    Mixer mixer_;
    double probability_;
};

/// `sometimes(resize_mix{}, 0.5)`: mix half of the samples.
template <mixer Mixer>
[[nodiscard]] sometimes_mixer<Mixer> sometimes(Mixer m, double probability) {
    return sometimes_mixer<Mixer>(std::move(m), probability);
}

}  // namespace resizemix
