%% The Erlang column of the remote rows of the benchmark suite (bench/run.sh): two BEAM
%% nodes on loopback, distribution over the local epmd, the same shapes as
%% cluster.BenchmarkRemote. Each result is one line "name value unit".
%%
%%   erlc remote.erl && erl -sname bench_a -noshell -run remote main -s init stop
-module(remote).
-export([main/0, main/1, pong/0, sink/2, reply/1]).

main() -> main([]).

main(_) ->
    Dir = filename:dirname(code:which(?MODULE)),
    Name = list_to_atom("lunatic_bench_peer_" ++ os:getpid()),
    {ok, Peer, Node} = peer:start_link(#{name => Name, args => ["-pa", Dir]}),
    report("remote_pingpong", per_op(fun(N) -> ping_pong(Node, N) end, 20000), "ns/op"),
    report("remote_throughput", rate(fun(N) -> throughput(Node, N) end, 200000), "msgs/s"),
    report("remote_spawn", per_op(fun(N) -> spawn_wait(Node, N) end, 10000), "ns/op"),
    peer:stop(Peer).

report(Name, Value, Unit) ->
    io:format("~s ~.3f ~s~n", [Name, float(Value), Unit]).

elapsed_ns(F) ->
    T0 = erlang:monotonic_time(nanosecond),
    F(),
    erlang:monotonic_time(nanosecond) - T0.

per_op(F, N) -> elapsed_ns(fun() -> F(N) end) / N.

rate(F, N) -> N / (elapsed_ns(fun() -> F(N) end) / 1.0e9).

%% N round trips of an 8-byte binary with a process on the other node, which learns the
%% sender's address once (as the lunatic guest does).
ping_pong(Node, N) ->
    Pong = spawn(Node, ?MODULE, pong, []),
    Pong ! {hello, self()},
    ping(Pong, 0, N),
    exit(Pong, kill).

ping(_, N, N) -> ok;
ping(Pong, I, N) ->
    Pong ! <<I:64>>,
    receive <<I:64>> -> ping(Pong, I + 1, N) end.

pong() -> receive {hello, From} -> pong(From) end.

pong(From) ->
    receive Bin -> From ! Bin, pong(From) end.

%% N one-way 1 KiB binaries to a process on the other node, which says when it has
%% them all.
throughput(Node, N) ->
    Sink = spawn(Node, ?MODULE, sink, [self(), N]),
    Bin = binary:copy(<<7>>, 1024),
    [Sink ! Bin || _ <- lists:seq(1, N)],
    receive {done, Sink} -> ok end.

sink(From, 0) -> From ! {done, self()};
sink(From, N) -> receive _ -> sink(From, N - 1) end.

%% Spawn a process on the other node and wait for its first message, N times.
spawn_wait(_, 0) -> ok;
spawn_wait(Node, N) ->
    spawn(Node, ?MODULE, reply, [self()]),
    receive ok -> ok end,
    spawn_wait(Node, N - 1).

reply(Parent) -> Parent ! ok.
