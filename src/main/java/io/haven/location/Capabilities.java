package io.haven.location;

/**
 * What a Location can do beyond the common contract, declared rather than discovered with
 * {@code instanceof}.
 *
 * @param atomicRename the server renames a finished temporary onto its name in one step, so a
 *     reader sees the old or the new object, never a gap. Without it the object is still never
 *     visible half-written, but replacing an existing name may briefly leave no object there.
 * @param knowsFreeSpace {@link Location#freeSpace()} answers with a number
 * @param resumable {@link Location#write(String, ResumableSource, ResumeRecords)} continues an
 *     interrupted write of the same source where it stopped; without it that call starts over
 */
public record Capabilities(boolean atomicRename, boolean knowsFreeSpace, boolean resumable) {}
