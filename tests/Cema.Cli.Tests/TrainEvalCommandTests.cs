using System.Text.Json;
using Cema.Models.Data;

namespace Cema.Cli.Tests;

/// <summary><c>cema train</c> and <c>cema eval</c> run as real processes, as a user would.</summary>
public sealed class TrainEvalCommandTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"cema-cli-train-{Guid.NewGuid():N}");

    public TrainEvalCommandTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    [Fact]
    public void Eval_of_the_shipped_edge_model_prints_the_table_and_writes_json_with_the_schema()
    {
        string json = Path.Combine(directory, "eval.json");
        var (code, stdout, stderr) = CliTests.RunCema("eval", "--method", "source", "--model", "edge", "--severity", "5", "--limit", "200", "--json", json);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("sha256 ok", stdout);
        Assert.Matches(@"gaussian_noise\s+\d+\.\d\d", stdout);
        Assert.Matches(@"mean\s+\d+\.\d\d", stdout);

        var root = ReadJson(json);
        Assert.Equal("edge", root.GetProperty("model").GetString());
        Assert.Equal(5, root.GetProperty("severity").GetInt32());
        Assert.Equal(200, root.GetProperty("images").GetInt32());
        var perCorruption = root.GetProperty("per_corruption").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.Equal(Corruption.Test.Select(c => c.Name), perCorruption.Keys);
        Assert.All(perCorruption.Values, a => Assert.InRange(a, 0, 100));
        Assert.Equal(perCorruption.Values.Average(), root.GetProperty("mean_accuracy").GetDouble(), 3);
        // Validation corruptions never enter the reported table.
        Assert.DoesNotContain("speckle_noise", stdout);
    }

    [Fact]
    public void Shipped_edge_model_meets_its_clean_accuracy_target_on_all_test_images()
    {
        string json = Path.Combine(directory, "clean-full.json");
        var (code, stdout, stderr) = CliTests.RunCema("eval", "--method", "source", "--model", "edge", "--severity", "0", "--json", json);
        Assert.True(code == 0, stderr + stdout);
        var root = ReadJson(json);
        Assert.Equal(10_000, root.GetProperty("images").GetInt32());
        // Issue #3: edge ≥ 91.0 % on the clean test set (MODELS.md records the measured figure).
        Assert.True(root.GetProperty("mean_accuracy").GetDouble() >= 91.0, stdout);
    }

    [Fact]
    public void Shipped_foundation_model_meets_its_clean_accuracy_target_on_all_test_images()
    {
        string json = Path.Combine(directory, "foundation-clean-full.json");
        var (code, stdout, stderr) = CliTests.RunCema("eval", "--method", "source", "--model", "foundation", "--severity", "0", "--json", json);
        Assert.True(code == 0, stderr + stdout);
        var root = ReadJson(json);
        Assert.Equal(10_000, root.GetProperty("images").GetInt32());
        // Issue #3: foundation ≥ 93.5 % on the clean test set (MODELS.md records the measured figure).
        Assert.True(root.GetProperty("mean_accuracy").GetDouble() >= 93.5, stdout);
    }

    [Fact]
    public void Shipped_foundation_model_is_at_least_five_points_more_robust_than_the_edge_at_severity_5()
    {
        // Issue #3 asks for foundation ≥ edge + 5 points on the mean severity-5 accuracy over all 10,000
        // images (MODELS.md); the first 2,000 per corruption keep this test near a minute.
        double Mean(string model)
        {
            string json = Path.Combine(directory, $"{model}-sev5.json");
            var (code, stdout, stderr) = CliTests.RunCema("eval", "--method", "source", "--model", model, "--severity", "5", "--limit", "2000", "--json", json);
            Assert.True(code == 0, stderr + stdout);
            return ReadJson(json).GetProperty("mean_accuracy").GetDouble();
        }
        double edge = Mean("edge"), foundation = Mean("foundation");
        Assert.True(foundation >= edge + 5, $"foundation {foundation:F2} % vs edge {edge:F2} % at severity 5");
    }

    [Fact]
    public void Train_stop_resume_equals_an_uninterrupted_run_and_eval_reads_and_verifies_the_result()
    {
        string models = Path.Combine(directory, "models"), checkpoints = Path.Combine(directory, "checkpoints");
        string[] common = ["train", "--model", "edge", "--epochs", "2", "--seed", "7", "--limit", "512"];

        var (code, stdout, stderr) = CliTests.RunCema([.. common, "--out", models, "--checkpoints", checkpoints, "--stop-after", "1"]);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("seed     7", stdout);
        Assert.Matches(@"epoch 1/2 .*val acc \d+\.\d\d%", stdout);
        Assert.Contains("stopped after epoch 1 of 2; continue with --resume", stdout);
        Assert.True(File.Exists(Path.Combine(checkpoints, "edge.checkpoint.safetensors")));
        Assert.True(File.Exists(Path.Combine(checkpoints, "edge.checkpoint.json")));
        Assert.False(File.Exists(Path.Combine(models, "edge.safetensors")));

        (code, stdout, stderr) = CliTests.RunCema([.. common, "--out", models, "--checkpoints", checkpoints, "--resume"]);
        Assert.True(code == 0, stderr + stdout);
        Assert.DoesNotContain("epoch 1/2 ", stdout);
        Assert.Matches(@"epoch 2/2 .*val acc", stdout);
        var manifest = ReadJson(Path.Combine(models, "MODELS.json")).GetProperty("edge");
        string resumedSha = manifest.GetProperty("sha256").GetString()!;
        Assert.Contains($"sha256 {resumedSha}", stdout);
        Assert.Equal("./cema train --model edge --epochs 2 --seed 7 --limit 512 --out " + models, manifest.GetProperty("command").GetString());

        string uninterrupted = Path.Combine(directory, "models2");
        (code, stdout, stderr) = CliTests.RunCema([.. common, "--out", uninterrupted, "--checkpoints", Path.Combine(directory, "checkpoints2")]);
        Assert.True(code == 0, stderr + stdout);
        Assert.Equal(resumedSha, ReadJson(Path.Combine(uninterrupted, "MODELS.json")).GetProperty("edge").GetProperty("sha256").GetString());

        string json = Path.Combine(directory, "clean.json");
        (code, stdout, stderr) = CliTests.RunCema("eval", "--model", "edge", "--models", models, "--severity", "0", "--limit", "256", "--json", json);
        Assert.True(code == 0, stderr + stdout);
        var root = ReadJson(json);
        Assert.Equal(0, root.GetProperty("severity").GetInt32());
        Assert.Equal(["clean"], root.GetProperty("per_corruption").EnumerateObject().Select(p => p.Name));

        // One flipped bit in the weights: eval refuses and says which file and how to restore it.
        string weights = Path.Combine(models, "edge.safetensors");
        byte[] bytes = File.ReadAllBytes(weights);
        bytes[^4] ^= 0x10;
        File.WriteAllBytes(weights, bytes);
        (code, _, stderr) = CliTests.RunCema("eval", "--model", "edge", "--models", models, "--severity", "0", "--limit", "16");
        Assert.Equal(1, code);
        Assert.Contains(weights, stderr);
        Assert.Contains("damaged", stderr);
        Assert.Contains("./cema train --model edge --epochs 2 --seed 7 --limit 512", stderr);
    }

    [Fact]
    public void Resume_without_a_checkpoint_and_a_bad_severity_fail_with_messages()
    {
        var (code, _, stderr) = CliTests.RunCema("train", "--model", "edge", "--resume", "--checkpoints", Path.Combine(directory, "none"), "--limit", "64");
        Assert.Equal(1, code);
        Assert.Contains("no checkpoint", stderr);

        (code, _, stderr) = CliTests.RunCema("eval", "--model", "edge", "--severity", "6");
        Assert.Equal(1, code);
        Assert.Contains("--severity 6", stderr);
    }
}
