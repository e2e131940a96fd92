package io.probity.ingest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by the load client, the Probity server and PostgreSQL, read from Linux's
 * {@code /proc/PID/stat} (fields utime, stime, cutime and cstime, in clock ticks of 1/100 s, the
 * USER_HZ of Linux on x86 and ARM). Each figure is -1 where {@code /proc} cannot be read.
 *
 * <p>PostgreSQL's figure is the postmaster's own time and that of its exited children plus the
 * time of its live children (backends, WAL writer, checkpointer), so backends that exit between
 * two snapshots are still counted.
 */
record CpuTimes(long clientMillis, long serverMillis, long postgresMillis) {

    private static final long MILLIS_PER_TICK = 10;

    static CpuTimes read(long serverPid, long postmasterPid) {
        long postgres = ticks(postmasterPid, true);
        if (postgres >= 0) {
            for (ProcessHandle child : ProcessHandle.of(postmasterPid).map(p -> p.children().toList())
                    .orElse(java.util.List.of())) {
                postgres += Math.max(0, ticks(child.pid(), false));
            }
        }
        return new CpuTimes(toMillis(ticks(ProcessHandle.current().pid(), false)), toMillis(ticks(serverPid, false)),
                toMillis(postgres));
    }

    /** Returns the CPU time between {@code earlier} and this snapshot, or -1 for an unknown figure. */
    CpuTimes since(CpuTimes earlier) {
        return new CpuTimes(difference(clientMillis, earlier.clientMillis),
                difference(serverMillis, earlier.serverMillis), difference(postgresMillis, earlier.postgresMillis));
    }

    private static long difference(long later, long earlier) {
        return later < 0 || earlier < 0 ? -1 : later - earlier;
    }

    private static long toMillis(long ticks) {
        return ticks < 0 ? -1 : ticks * MILLIS_PER_TICK;
    }

    /** Returns utime + stime of a process, plus cutime + cstime when {@code withExitedChildren}. */
    private static long ticks(long pid, boolean withExitedChildren) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return -1;
        }
        // The command name in field 2 may contain spaces, so the fields are counted after its closing ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state); utime, stime, cutime and cstime are fields 14 to 17.
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withExitedChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks;
    }
}
