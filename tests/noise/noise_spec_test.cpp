// Noise specs: parsing, the canonical text and its round trip, enum <-> string helpers, and every
// refusal (message names the key, the value and the allowed range). Deterministic.
#include "clipsim/noise/noise_spec.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/noise/noise_model.hpp"

namespace clipsim::noise {
namespace {

// Expects InputError whose message contains every fragment.
void ExpectRefused(const std::string& text, const std::vector<std::string>& fragments) {
  try {
    ParseNoiseSpec(text);
    ADD_FAILURE() << "accepted: " << text;
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const std::string& f : fragments) {
      EXPECT_NE(message.find(f), std::string::npos)
          << "spec \"" << text << "\": message \"" << message << "\" lacks \"" << f << "\"";
    }
  }
}

TEST(NoiseSpec, ParsesEveryKey) {
  const NoiseSpec s = ParseNoiseSpec("kind=stable, alpha=1.5 ,skew=-0.3,scale=2,loc=0.25");
  EXPECT_EQ(s.kind, NoiseKind::kStable);
  EXPECT_EQ(s.alpha, 1.5);
  EXPECT_EQ(s.skew, -0.3);
  EXPECT_EQ(s.scale, 2.0);
  EXPECT_EQ(s.loc, 0.25);
  EXPECT_EQ(s.shape, Shape::kIid);

  const NoiseSpec p = ParseNoiseSpec("kind=pareto,tail=1.5,scale=1e-3,shape=radial");
  EXPECT_EQ(p.kind, NoiseKind::kPareto);
  EXPECT_EQ(p.tail, 1.5);
  EXPECT_EQ(p.scale, 1e-3);
  EXPECT_EQ(p.shape, Shape::kRadial);

  const NoiseSpec t = ParseNoiseSpec("kind=student_t,dof=2.5,loc=+1");
  EXPECT_EQ(t.dof, 2.5);
  EXPECT_EQ(t.loc, 1.0);

  const NoiseSpec c = ParseNoiseSpec(
      "kind=contaminated,eps=0.01,scale=1,other=[kind=pareto,tail=1.5,scale=10,shape=radial]");
  EXPECT_EQ(c.kind, NoiseKind::kContaminated);
  EXPECT_EQ(c.eps, 0.01);
  ASSERT_TRUE(c.other);
  EXPECT_EQ(c.other->kind, NoiseKind::kPareto);
  EXPECT_EQ(c.other->scale, 10.0);
  EXPECT_EQ(c.other->shape, Shape::kRadial);
}

TEST(NoiseSpec, DefaultsApplyToKeysLeftOut) {
  const NoiseSpec s = ParseNoiseSpec("kind=stable");
  EXPECT_EQ(s.alpha, 2.0);
  EXPECT_EQ(s.skew, 0.0);
  EXPECT_EQ(s.scale, 1.0);
  EXPECT_EQ(ParseNoiseSpec("kind=gaussian").scale, 1.0);
}

TEST(NoiseSpec, CanonicalTextRoundTrips) {
  const std::vector<std::string> texts = {
      "kind=stable,alpha=1.5,skew=0.3,scale=1",
      "kind=stable,alpha=0.1,skew=-1,scale=1e-300,loc=-2.5",
      "kind=stable,alpha=1.9,shape=isotropic,scale=3",
      "kind=stable,alpha=1,skew=1,scale=0.1",
      "kind=pareto,tail=2.5,scale=0.5",
      "kind=pareto,tail=1.1,shape=radial",
      "kind=student_t,dof=2.5,scale=0.5,loc=0.1",
      "kind=gaussian,scale=0.7",
      "kind=contaminated,eps=0.01,scale=1,other=[kind=stable,alpha=1.2,skew=0.5]",
      "kind=contaminated,eps=0.5,other=[kind=contaminated,eps=0.1,other=[kind=student_t,dof=3]]",
  };
  for (const std::string& text : texts) {
    const NoiseSpec s = ParseNoiseSpec(text);
    const std::string canonical = FormatNoiseSpec(s);
    const NoiseSpec back = ParseNoiseSpec(canonical);
    EXPECT_TRUE(back == s) << text << " -> " << canonical;
    EXPECT_EQ(FormatNoiseSpec(back), canonical) << text;
  }
  // Shortest round-trip numbers, keys in canonical order, loc = 0 and shape = iid left out.
  EXPECT_EQ(FormatNoiseSpec(ParseNoiseSpec("scale=1,skew=0.3,alpha=1.5,kind=stable")),
            "kind=stable,alpha=1.5,skew=0.3,scale=1");
  EXPECT_EQ(FormatNoiseSpec(ParseNoiseSpec("kind=pareto,tail=0.1,loc=0,shape=iid")),
            "kind=pareto,tail=0.1,scale=1");
  EXPECT_EQ(
      FormatNoiseSpec(ParseNoiseSpec("kind=contaminated,eps=0.25,scale=2,other=[kind=gaussian]")),
      "kind=contaminated,eps=0.25,scale=2,other=[kind=gaussian,scale=1]");
}

TEST(NoiseSpec, EqualityComparesTheKeysOfTheKind) {
  NoiseSpec a = ParseNoiseSpec("kind=stable,alpha=1.5");
  NoiseSpec b = a;
  b.tail = 7.0;  // not a key of stable
  EXPECT_TRUE(a == b);
  b.alpha = 1.6;
  EXPECT_FALSE(a == b);
  EXPECT_FALSE(ParseNoiseSpec("kind=contaminated,eps=0.1,other=[kind=pareto,tail=2]") ==
               ParseNoiseSpec("kind=contaminated,eps=0.1,other=[kind=pareto,tail=3]"));
}

TEST(NoiseSpec, EnumStringsRoundTrip) {
  for (NoiseKind k : {NoiseKind::kStable, NoiseKind::kPareto, NoiseKind::kStudentT,
                      NoiseKind::kGaussian, NoiseKind::kContaminated, NoiseKind::kLomax}) {
    EXPECT_EQ(NoiseKindFromString(ToString(k)), k);
  }
  for (Shape s : {Shape::kIid, Shape::kIsotropic, Shape::kRadial}) {
    EXPECT_EQ(ShapeFromString(ToString(s)), s);
  }
  EXPECT_FALSE(NoiseKindFromString("Stable"));
  EXPECT_FALSE(ShapeFromString("sphere"));
}

TEST(NoiseSpec, RefusesBadSyntaxAndKinds) {
  ExpectRefused("alpha=1.5", {"'kind'", "required", "stable, pareto"});
  ExpectRefused("kind=levy",
                {"'kind' = levy", "stable, pareto, student_t, gaussian, contaminated"});
  ExpectRefused("kind=stable,alpha", {"alpha", "key=value"});
  ExpectRefused("kind=stable,alpha=1,alpha=1.5", {"'alpha'", "once"});
  ExpectRefused("kind=stable,alpha=abc", {"'alpha' = abc", "number", "(0, 2]"});
  ExpectRefused("kind=stable,alpha=1.5x", {"'alpha' = 1.5x", "number"});
  ExpectRefused("kind=stable,scale=inf", {"'scale' = inf", "number"});
  ExpectRefused("kind=stable,scale=nan", {"'scale' = nan", "number"});
  ExpectRefused("kind=stable,alpha=", {"'alpha'", "number"});
}

TEST(NoiseSpec, RefusesKeysTheKindDoesNotUse) {
  ExpectRefused("kind=stable,tail=3",
                {"'tail' = 3", "not a key of kind stable", "alpha, skew, scale, loc, shape"});
  ExpectRefused("kind=pareto,alpha=1.5", {"'alpha'", "kind pareto", "tail, scale, loc, shape"});
  ExpectRefused("kind=student_t,tail=3", {"'tail'", "kind student_t", "dof, scale, loc, shape"});
  ExpectRefused("kind=gaussian,dof=3", {"'dof'", "kind gaussian", "scale, loc, shape"});
  ExpectRefused("kind=contaminated,eps=0.1,shape=iid,other=[kind=gaussian]",
                {"'shape'", "kind contaminated", "eps, scale, other"});
  ExpectRefused("kind=stable,eps=0.1", {"'eps'", "kind stable"});
  ExpectRefused("kind=pareto,foo=1", {"'foo'", "kind pareto"});
}

TEST(NoiseSpec, RefusesOutOfRangeValues) {
  ExpectRefused("kind=stable,alpha=3", {"'alpha' = 3: must be in (0, 2]"});
  ExpectRefused("kind=stable,alpha=0", {"'alpha' = 0", "(0, 2]"});
  ExpectRefused("kind=stable,alpha=-1", {"'alpha' = -1", "(0, 2]"});
  ExpectRefused("kind=stable,alpha=2.0000001", {"'alpha' = 2.0000001", "(0, 2]"});
  ExpectRefused("kind=stable,skew=1.5", {"'skew' = 1.5", "[-1, 1]"});
  ExpectRefused("kind=stable,skew=-1.01", {"'skew' = -1.01", "[-1, 1]"});
  ExpectRefused("kind=stable,scale=0", {"'scale' = 0", "> 0"});
  ExpectRefused("kind=gaussian,scale=-1", {"'scale' = -1", "> 0"});
  ExpectRefused("kind=pareto,tail=0", {"'tail' = 0", "> 0"});
  ExpectRefused("kind=pareto,tail=-2", {"'tail' = -2", "> 0"});
  ExpectRefused("kind=lomax,tail=0", {"'tail' = 0", "> 0"});
  ExpectRefused("kind=lomax,alpha=1.5", {"'alpha'", "kind lomax", "tail, scale, loc, shape"});
  ExpectRefused("kind=student_t,dof=0", {"'dof' = 0", "> 0"});
  ExpectRefused("kind=contaminated,eps=1.5,other=[kind=gaussian]", {"'eps' = 1.5", "[0, 1]"});
  ExpectRefused("kind=contaminated,eps=-0.1,other=[kind=gaussian]", {"'eps' = -0.1", "[0, 1]"});
}

TEST(NoiseSpec, RefusesShapesTheKindLacks) {
  ExpectRefused("kind=stable,shape=radial", {"'shape' = radial", "iid, isotropic", "stable"});
  ExpectRefused("kind=pareto,shape=isotropic", {"'shape' = isotropic", "iid, radial"});
  ExpectRefused("kind=gaussian,shape=radial", {"'shape' = radial", "iid"});
  ExpectRefused("kind=lomax,shape=radial", {"'shape' = radial", "iid", "lomax"});
  ExpectRefused("kind=student_t,shape=isotropic", {"'shape' = isotropic", "iid"});
  ExpectRefused("kind=stable,shape=ball", {"'shape' = ball", "iid, isotropic"});
  ExpectRefused("kind=stable,alpha=1.5,skew=0.5,shape=isotropic",
                {"'skew' = 0.5", "must be 0 with shape isotropic"});
  ExpectRefused("kind=stable,alpha=1.5,loc=1,shape=isotropic", {"'loc' = 1", "isotropic"});
  ExpectRefused("kind=pareto,loc=1,shape=radial", {"'loc' = 1", "radial"});
}

TEST(NoiseSpec, RefusesBadContamination) {
  ExpectRefused("kind=contaminated,eps=0.1", {"'other'", "required"});
  ExpectRefused("kind=contaminated,eps=0.1,other=kind", {"'other' = kind", "brackets"});
  ExpectRefused("kind=contaminated,eps=0.1,other=[kind=pareto,tail=-1]",
                {"'other.tail' = -1", "> 0"});
  ExpectRefused("kind=contaminated,eps=0.1,other=[kind=stable,tail=2]",
                {"'other.tail'", "not a key of kind stable"});
  ExpectRefused("kind=contaminated,eps=0.1,other=[alpha=1]", {"'other.kind'", "required"});
  ExpectRefused("kind=contaminated,eps=0.1,other=[kind=gaussian", {"'['"});
  ExpectRefused("kind=contaminated,eps=0.1,other=kind=gaussian]", {"']'"});
}

TEST(NoiseSpec, ValidateIsTheOneRangeCheck) {
  NoiseSpec s;
  s.kind = NoiseKind::kStable;
  s.alpha = 1.5;
  EXPECT_NO_THROW(Validate(s));
  s.alpha = 2.5;
  EXPECT_THROW(Validate(s), InputError);
  EXPECT_THROW(MakeNoise(s), InputError);  // the factory validates too
  s.alpha = 1.5;
  s.scale = std::numeric_limits<double>::infinity();
  EXPECT_THROW(Validate(s), InputError);
  NoiseSpec c;
  c.kind = NoiseKind::kContaminated;
  EXPECT_THROW(Validate(c), InputError);  // no other
  try {
    s.scale = 1.0;
    s.skew = 2.0;
    Validate(s);
    ADD_FAILURE() << "skew 2 accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "skew");
    EXPECT_EQ(std::string(e.what()), "'skew' = 2: must be in [-1, 1]");
  }
}

}  // namespace
}  // namespace clipsim::noise
