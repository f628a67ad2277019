import { RoleRank, Roles, type Role } from '@pillar/shared';
import { errorMessage } from '../../ui/api.js';
import { useConfirm } from '../../ui/confirm.js';
import { formatDate } from '../../ui/format.js';
import { QueryView, Empty } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useCan, useSession } from '../auth/auth.api.js';
import { InvitationsSection } from './invitations-section.js';
import { useMembers, useRemoveMember, useUpdateMemberRole, type Member } from './settings.api.js';

export function MembersPage() {
  const members = useMembers();
  const canManage = useCan('users:manage');
  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <QueryView query={members} empty={(d) => (d.length === 0 ? <Empty title="No members" /> : null)}>
        {(list) => <MembersTable members={list} canManage={canManage} />}
      </QueryView>
      {canManage && <InvitationsSection />}
    </section>
  );
}

function MembersTable({ members, canManage }: { members: Member[]; canManage: boolean }) {
  const session = useSession();
  const updateRole = useUpdateMemberRole();
  const remove = useRemoveMember();
  const toast = useToast();
  const { confirm, element } = useConfirm();
  const myRank = RoleRank[session.tenant.role];
  const grantable = Roles.filter((r) => RoleRank[r] <= myRank && r !== 'owner');
  async function onRemove(m: Member) {
    if (!(await confirm('Remove member', <p>Remove {m.name} ({m.email}) from this workspace?</p>, 'Remove'))) return;
    remove.mutate(m, { onSuccess: () => toast.success(`${m.name} was removed`), onError: (e) => toast.error(errorMessage(e)) });
  }
  function onRole(m: Member, role: Role) {
    updateRole.mutate({ member: m, role }, { onSuccess: () => toast.success(`${m.name} is now ${role}`), onError: (e) => toast.error(errorMessage(e)) });
  }
  return (
    <div className="table-wrap">
      {element}
      <div className="table-wrap"><table className="simple-table">
        <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Joined</th>{canManage && <th scope="col"><span className="sr-only">Actions</span></th>}</tr></thead>
        <tbody>
          {members.map((m) => {
            const editable = canManage && m.user_id !== session.user.id && RoleRank[m.role] <= myRank && m.role !== 'owner';
            return (
              <tr key={m.user_id}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>
                  {editable ? (
                    <select aria-label={`Role of ${m.name}`} value={m.role} onChange={(e) => onRole(m, e.target.value as Role)}>
                      {grantable.map((r) => <option key={r} value={r}>{r}</option>)}
                    </select>
                  ) : m.role}
                </td>
                <td>{formatDate(m.created_at)}</td>
                {canManage && <td>{editable && <button type="button" className="link danger-text" onClick={() => void onRemove(m)}>Remove</button>}</td>}
              </tr>
            );
          })}
        </tbody>
      </table></div>
    </div>
  );
}
