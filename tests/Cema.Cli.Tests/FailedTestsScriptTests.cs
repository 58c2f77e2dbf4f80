using System.Diagnostics;

namespace Cema.Cli.Tests;

/// <summary>scripts/failed-tests.sh, which ./test runs before its summary line so that a log's tail names what failed.</summary>
public sealed class FailedTestsScriptTests : IDisposable
{
    private readonly string trx = Path.Combine(Path.GetTempPath(), $"cema-failed-{Guid.NewGuid():N}.trx");

    public void Dispose() => File.Delete(trx);

    private static string Run(params string[] files)
    {
        string root = Path.GetDirectoryName(Path.GetDirectoryName(TuneCommandTests.RepositoryReference()))!;
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(root, "scripts", "failed-tests.sh"));
        foreach (var f in files) psi.ArgumentList.Add(f);
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr);
        return stdout;
    }

    [Fact]
    public void Each_failed_test_is_named_with_the_first_lines_of_its_message_and_passed_ones_are_not()
    {
        File.WriteAllText(trx, """
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun><Results>
              <UnitTestResult executionId="a" testName="A.B.Passes" outcome="Passed" />
              <UnitTestResult executionId="b" testName="A.B.Fails(x: &quot;q&quot;)" outcome="Failed" testListId="t">
                <Output><ErrorInfo><Message>Assert.Equal() Failure: Values differ
            Expected: 16
            Actual:   0 &amp; &lt;none&gt;
            fourth line
            fifth line</Message><StackTrace>   at A.B.Fails()</StackTrace></ErrorInfo></Output>
              </UnitTestResult>
              <UnitTestResult executionId="c" testName="A.B.Other" outcome="Failed"><Output><ErrorInfo><Message>one line</Message></ErrorInfo></Output></UnitTestResult>
            </Results></TestRun>
            """);

        string output = Run(trx);

        Assert.Equal(
            "FAILED A.B.Fails(x: \"q\")\n    Assert.Equal() Failure: Values differ\n    Expected: 16\n    Actual:   0 & <none>\n    fourth line\n" +
            "FAILED A.B.Other\n    one line\n",
            output.Replace("\r", ""));
    }

    [Fact]
    public void A_run_where_everything_passed_prints_nothing_and_a_missing_file_is_passed_over()
    {
        File.WriteAllText(trx, """<TestRun><Results><UnitTestResult testName="A.B.Passes" outcome="Passed" /></Results></TestRun>""");
        Assert.Equal("", Run(trx, trx + ".missing"));
    }
}
