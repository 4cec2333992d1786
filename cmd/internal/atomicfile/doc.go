// Package atomicfile writes output files that readers see complete or not at
// all, also after a crash: the content goes to a temporary file in the same
// directory, which is synced to disk, renamed into place, and the directory
// synced so that the rename itself is on disk.
//
// [Write] writes a file from a callback; [Create] returns a [File] to stream
// into and then Commit or Abort; [CommitAll] commits a set of files so that
// either all appear or none does. [SyncDir] serves a caller that builds a
// whole directory of such files beside its destination and renames it into
// place: after the rename, it syncs the parent directory.
//
// Every file is created with mode 0644, whatever the umask. On any error no
// temporary file remains.
package atomicfile
