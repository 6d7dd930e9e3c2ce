using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Dispatcher.Management;

namespace Pipeline.Dispatcher.Tests.Management;

/// <summary>A management call cut short by Redis, the spool or the bus answers 503 problem+json saying what happened
/// and that repeating it is safe, not a bare 500.</summary>
public sealed class ManagementProblemsTests
{
    [Fact]
    public void A_delete_cut_short_is_a_503_with_what_was_deleted_and_what_went_back()
    {
        var problem = Assert.IsType<ProblemHttpResult>(ManagementProblems.DeleteIncomplete(new DeleteIncompleteException(4, 7, new IOException("disk gone"))));

        Assert.Equal(503, problem.StatusCode);
        Assert.Equal("Delete incomplete", problem.ProblemDetails.Title);
        Assert.Contains("disk gone", problem.ProblemDetails.Detail);
        Assert.Equal(4, problem.ProblemDetails.Extensions["deleted"]);
        Assert.Equal(7, problem.ProblemDetails.Extensions["returned"]);
    }

    [Fact]
    public void A_pause_not_confirmed_is_a_503_naming_the_target()
    {
        var problem = Assert.IsType<ProblemHttpResult>(ManagementProblems.PauseNotConfirmed("queue:mta1/x.test", true, new TimeoutException("redis timeout")));

        Assert.Equal(503, problem.StatusCode);
        Assert.Equal("Pause not confirmed", problem.ProblemDetails.Title);
        Assert.Contains("queue:mta1/x.test", problem.ProblemDetails.Detail);
        Assert.Contains("redis timeout", problem.ProblemDetails.Detail);
    }
}
