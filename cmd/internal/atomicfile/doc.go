// Package atomicfile writes output files that readers see complete or not at
// all, also after a crash: the content goes to a temporary file in the same
// directory, which is synced to disk, renamed into place, and the directory
// synced so that the rename itself is on disk.
//
// [Write] writes a file from a callback; [Create] returns a [File] to stream
// into and then Commit or Abort; [CommitAll] commits a set of files so that
// either all appear or none does, as far as a write or a full disk can
// fail. A set that must stay a set also when the process is killed is a
// directory: [CreateDir] returns a [Dir], a temporary directory beside the
// destination to write the files into, which Commit renames into place as a
// whole. [SyncDir] serves a caller that renames its own directories: after
// the rename, it syncs the parent directory.
//
// The temporary name of a destination base is ".base.tmp-" followed by
// digits. A writer holds its temporary file or directory locked (flock)
// until it commits or aborts; the kernel drops the lock when the process
// dies. So a writer killed before it could clean up leaves a temporary name
// that nobody holds: the next Create or CreateDir of the same destination
// removes those older than a minute. Where files cannot be locked, they are
// removed after a day.
//
// Every file is created with mode 0644, and a Dir's directory with 0755,
// whatever the umask. On any error no temporary file remains.
package atomicfile
