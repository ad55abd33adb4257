%% The Erlang column of the benchmark suite (bench/run.sh): the same shapes as the Go
%% benchmarks in bench/, on BEAM processes. Each result is one line "name value unit".
%%
%%   erlc bench.erl && erl -noshell -run bench main timing -s init stop
%%   erl -noshell -run bench main idle 10000 -s init stop
-module(bench).
-export([main/1]).

-define(RING_SIZE, 10000).
-define(RING_HOPS, 1000000).

main(["timing"]) ->
    report("spawn", per_op(fun spawn_wait/1, 200000), "ns/op"),
    report("spawn_exit/inflight=1", rate(fun(N) -> spawn_exit(N, 1) end, 200000), "procs/s"),
    report("spawn_exit/inflight=64", rate(fun(N) -> spawn_exit(N, 64) end, 200000), "procs/s"),
    report("pingpong", per_op(fun ping_pong/1, 500000), "ns/op"),
    report("ring", ring(?RING_SIZE, ?RING_HOPS) / (?RING_HOPS + ?RING_SIZE), "ns/hop");
main(["idle", Count]) ->
    N = list_to_integer(Count),
    report("idle/n=" ++ Count, idle(N), "B/proc").

report(Name, Value, Unit) ->
    io:format("~s ~.3f ~s~n", [Name, float(Value), Unit]).

elapsed_ns(F) ->
    T0 = erlang:monotonic_time(nanosecond),
    F(),
    erlang:monotonic_time(nanosecond) - T0.

per_op(F, N) -> elapsed_ns(fun() -> F(N) end) / N.

rate(F, N) -> N / (elapsed_ns(fun() -> F(N) end) / 1.0e9).

%% Spawn a process and wait for its first message, N times.
spawn_wait(0) -> ok;
spawn_wait(N) ->
    Self = self(),
    spawn(fun() -> Self ! ok end),
    receive ok -> ok end,
    spawn_wait(N - 1).

%% Start and finish N processes with at most K in flight (waiting for the oldest).
spawn_exit(N, K) -> spawn_exit(N, K, queue:new()).

spawn_exit(0, _, Q) -> lists:foreach(fun await_down/1, queue:to_list(Q));
spawn_exit(N, K, Q) ->
    Q1 = case queue:len(Q) >= K of
             true -> {{value, Old}, Rest} = queue:out(Q), await_down(Old), Rest;
             false -> Q
         end,
    {_, Ref} = spawn_monitor(fun() -> ok end),
    spawn_exit(N - 1, K, queue:in(Ref, Q1)).

await_down(Ref) -> receive {'DOWN', Ref, process, _, _} -> ok end.

%% N round trips of a small message between two processes.
ping_pong(N) ->
    Pong = spawn(fun pong/0),
    ping(Pong, 0, N),
    Pong ! stop.

ping(_, N, N) -> ok;
ping(Pong, I, N) ->
    Pong ! {self(), I},
    receive I -> ping(Pong, I + 1, N) end.

pong() ->
    receive
        {From, V} -> From ! V, pong();
        stop -> ok
    end.

%% A ring of Size processes passing a token Hops times; the 0 token makes one more lap
%% that ends every member (the protocol of the Go and wasm rings). Returns the time from
%% the first send until every member ended, in ns; spawning is not timed.
ring(Size, Hops) ->
    Self = self(),
    Pids = [spawn(fun() -> ring_start(Self) end) || _ <- lists:seq(1, Size)],
    Nexts = tl(Pids) ++ [hd(Pids)],
    [P ! {next, Next} || {P, Next} <- lists:zip(Pids, Nexts)],
    [receive {ready, P} -> ok end || P <- Pids],
    T0 = erlang:monotonic_time(nanosecond),
    hd(Pids) ! Hops,
    [receive {done, P} -> ok end || P <- Pids],
    erlang:monotonic_time(nanosecond) - T0.

ring_start(Parent) ->
    receive {next, Next} -> Parent ! {ready, self()}, ring_node(Parent, Next) end.

ring_node(Parent, Next) ->
    receive
        0 -> Next ! 0, Parent ! {done, self()};
        T -> Next ! T - 1, ring_node(Parent, Next)
    end.

%% Resident bytes per process blocked in receive, N processes.
idle(N) ->
    erlang:garbage_collect(),
    Before = rss(),
    Pids = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, N)],
    wait_blocked(Pids),
    erlang:garbage_collect(),
    After = rss(),
    [P ! stop || P <- Pids],
    (After - Before) / N.

wait_blocked([]) -> ok;
wait_blocked([P | Rest] = Pids) ->
    case erlang:process_info(P, status) of
        {status, waiting} -> wait_blocked(Rest);
        _ -> erlang:yield(), wait_blocked(Pids)
    end.

rss() ->
    {ok, Statm} = file:read_file("/proc/self/statm"),
    [_, Pages | _] = string:lexemes(binary_to_list(Statm), " "),
    list_to_integer(Pages) * 4096.
