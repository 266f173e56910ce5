using System.Net;
using CniSharp.Agent.Datastore.Kubernetes;
using k8s.Autorest;

namespace CniSharp.Agent.Tests.Datastore.Kubernetes;

public class ApiErrorsTests
{
    private static HttpOperationException Answer(HttpStatusCode code, string body) => new("failed")
    {
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(code), body),
    };

    [Fact]
    public void Forbidden_is_permanent_and_says_what_the_account_needs()
    {
        var e = Answer(HttpStatusCode.Forbidden,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"nodes \"n1\" is forbidden: User \"system:serviceaccount:x:y\" cannot patch resource \"nodes\"","reason":"Forbidden","code":403}""");
        Assert.True(ApiErrors.IsPermanent(e));
        Assert.False(ApiErrors.IsTransient(e, CancellationToken.None));
        string text = ApiErrors.Describe(e);
        Assert.Contains("403", text);
        Assert.Contains("cannot patch resource \"nodes\"", text);
        Assert.Contains("nodes/status patch", text);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public void Server_failures_are_retried_refusals_are_not(HttpStatusCode code, bool transient)
    {
        Assert.Equal(transient, ApiErrors.IsTransient(Answer(code, ""), CancellationToken.None));
    }

    [Fact]
    public void Gone_and_not_found_are_recognised()
    {
        Assert.True(ApiErrors.IsGone(Answer(HttpStatusCode.Gone, "")));
        Assert.True(ApiErrors.IsNotFound(Answer(HttpStatusCode.NotFound, "")));
        Assert.False(ApiErrors.IsNotFound(new HttpRequestException("refused")));
    }

    [Fact]
    public void Unreachable_is_transient_but_our_own_cancellation_is_not()
    {
        Assert.True(ApiErrors.IsTransient(new HttpRequestException("Connection refused"), CancellationToken.None));
        Assert.True(ApiErrors.IsTransient(new IOException("reset"), CancellationToken.None));
        Assert.True(ApiErrors.IsTransient(new TaskCanceledException("timeout"), CancellationToken.None));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.False(ApiErrors.IsTransient(new TaskCanceledException("stopping"), cancelled.Token));
    }

    [Fact]
    public void A_connection_error_repeating_its_cause_is_said_once()
    {
        var e = new HttpRequestException("Connection refused (10.0.0.1:6443)", new System.Net.Sockets.SocketException(111));
        Assert.Equal("Connection refused (10.0.0.1:6443)", ApiErrors.Describe(e));
    }
}
