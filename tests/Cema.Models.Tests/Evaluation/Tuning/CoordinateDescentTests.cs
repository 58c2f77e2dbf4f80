using Cema.Models.Evaluation;
using Cema.Models.Evaluation.Tuning;

namespace Cema.Models.Tests.Evaluation.Tuning;

public class CoordinateDescentTests
{
    private static readonly TuningObjective AccuracyOnly = new(null, 0);

    private static readonly TuningParameter[] Grid =
    {
        new("x", new double[] { 0, 1, 2, 3, 4, 5 }),
        new("y", new double[] { 0, 1, 2, 3 }),
    };

    // A separable bowl with its top at x = 3, y = 1 (accuracy 100 there).
    private static TrialMetrics Bowl(IReadOnlyDictionary<string, double> v) =>
        new(100 - (v["x"] - 3) * (v["x"] - 3) - (v["y"] - 1) * (v["y"] - 1), 0);

    [Fact]
    public void Finds_the_optimum_of_a_separable_function_evaluating_each_candidate_once()
    {
        var calls = new List<string>();
        var result = CoordinateDescent.Run(Grid, new Dictionary<string, double> { ["x"] = 0.2, ["y"] = 2.9 }, v =>
        {
            calls.Add($"{v["x"]},{v["y"]}");
            return Bowl(v);
        }, AccuracyOnly, budget: 100, maxSweeps: 5);

        Assert.Equal(3, result.Best.Values["x"]);
        Assert.Equal(1, result.Best.Values["y"]);
        Assert.Equal(100, result.Best.Metrics.Accuracy);
        // Starts at the nearest grid point (0, 3); sweep 1 tries 5 other x and 3 other y; sweep 2 finds nothing new
        // to evaluate except the other x values at y = 1 and stops when nothing moves.
        Assert.Equal("0,3", calls[0]);
        Assert.Equal(calls.Count, calls.Distinct().Count());
        Assert.Null(result.Trials[0].Changed);
        Assert.Equal(calls.Count, result.Trials.Count);
        Assert.False(result.BudgetExhausted);
        Assert.Equal(2, result.Sweeps);
    }

    [Fact]
    public void Stops_at_the_budget_and_returns_the_best_seen()
    {
        int calls = 0;
        var result = CoordinateDescent.Run(Grid, new Dictionary<string, double> { ["x"] = 0, ["y"] = 0 }, v =>
        {
            calls++;
            return Bowl(v);
        }, AccuracyOnly, budget: 3, maxSweeps: 5);
        Assert.Equal(3, calls);
        Assert.True(result.BudgetExhausted);
        // Trials: (0,0), (1,0), (2,0): the best is x = 2.
        Assert.Equal(2, result.Best.Values["x"]);
        Assert.Equal(3, result.Best.Index);
    }

    [Fact]
    public void The_upload_cap_outranks_accuracy_and_ties_go_to_fewer_uploads()
    {
        var objective = new TuningObjective(MaxUploadRate: 50, Penalty: 10);
        Assert.Equal(80, objective.Score(80, 50));
        Assert.Equal(80 - 10 * 5, objective.Score(80, 55));
        Assert.True(objective.Better(new TrialMetrics(70, 40), new TrialMetrics(80, 55)));
        Assert.True(objective.Better(new TrialMetrics(70, 30), new TrialMetrics(70, 40)));
        Assert.False(objective.Better(new TrialMetrics(70, 40), new TrialMetrics(70, 40)));

        // Upload rate grows with u, accuracy too: the search settles on the largest u within the cap.
        var grid = new[] { new TuningParameter("u", new double[] { 10, 30, 50, 70, 90 }) };
        var result = CoordinateDescent.Run(grid, new Dictionary<string, double> { ["u"] = 10 },
            v => new TrialMetrics(60 + v["u"] / 10, v["u"]), objective, budget: 10, maxSweeps: 2);
        Assert.Equal(50, result.Best.Values["u"]);
    }

    [Fact]
    public void A_cap_below_a_reference_admits_one_upload_fewer_and_not_as_many()
    {
        // EATA uploaded 7 of 300: CEMA may upload 6 (2 %), not 7.
        double cap = TuningObjective.CapBelow(uploads: 7, samples: 300);
        Assert.Equal(2.0, cap, precision: 12);
        var objective = new TuningObjective(cap, Penalty: 10);
        double six = SegmentResult.Percent(6, 300), seven = SegmentResult.Percent(7, 300);
        Assert.Equal(75, objective.Score(75, six));
        Assert.True(objective.Score(75, seven) < 75);
        Assert.True(objective.Better(new TrialMetrics(70, six), new TrialMetrics(71, seven)));
        Assert.Equal(0, TuningObjective.CapBelow(0, 300));
        Assert.Contains("samples", Assert.Throws<ArgumentOutOfRangeException>(() => TuningObjective.CapBelow(1, 0)).Message);
        Assert.Contains("uploads", Assert.Throws<ArgumentOutOfRangeException>(() => TuningObjective.CapBelow(301, 300)).Message);
    }

    [Theory]
    [InlineData(3.0, "3.0")]
    [InlineData(0.35, "0.35")]
    [InlineData(0.0, "0.0")]
    [InlineData(1e-20, "1e-20")]
    public void A_number_is_written_as_a_fraction_so_reference_conf_keeps_declaring_one(double value, string written)
    {
        Assert.Equal(written, new TuningParameter("cloud.alpha", new[] { value }).Render(value));
    }

    [Fact]
    public void A_switch_is_searched_as_one_and_zero_and_rendered_as_true_and_false()
    {
        var grid = new[] { TuningParameter.Switch("renormalization", new[] { true, false }), new TuningParameter("lr", new double[] { 1, 2 }) };
        Assert.Equal("true", grid[0].Render(1));
        Assert.Equal("false", grid[0].Render(0));
        Assert.Equal(false, grid[0].Typed(0));
        Assert.Equal(2.5e-4, grid[1].Typed(2.5e-4));
        // Accuracy is best with the switch off and lr 2.
        var result = CoordinateDescent.Run(grid, new Dictionary<string, double> { ["renormalization"] = 1, ["lr"] = 1 },
            v => new TrialMetrics(50 + (v["renormalization"] == 0 ? 10 : 0) + v["lr"], 0), AccuracyOnly, budget: 10, maxSweeps: 2);
        Assert.Equal(0, result.Best.Values["renormalization"]);
        Assert.Equal(2, result.Best.Values["lr"]);
    }

    [Fact]
    public void Bad_grids_are_refused_naming_the_key()
    {
        var e = Assert.Throws<ArgumentException>(() => CoordinateDescent.Run(new[] { new TuningParameter("lr", new double[] { 1, 1 }) },
            new Dictionary<string, double> { ["lr"] = 1 }, Bowl, AccuracyOnly, 5, 1));
        Assert.Contains("lr", e.Message);
        var missing = Assert.Throws<ArgumentException>(() => CoordinateDescent.Run(Grid, new Dictionary<string, double> { ["x"] = 1 }, Bowl, AccuracyOnly, 5, 1));
        Assert.Contains("'y'", missing.Message);
    }
}
