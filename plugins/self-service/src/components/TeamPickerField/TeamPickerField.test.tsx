import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithApp } from '../../__testUtils__/renderWithApp';
import { TeamPickerField } from './TeamPickerField';

type Props = Parameters<typeof TeamPickerField>[0];

function fieldProps(formData?: string, onChange = jest.fn()): Props {
  return {
    name: 'team',
    formData,
    schema: { title: 'Owning team', type: 'string' },
    uiSchema: {},
    onChange,
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    idSchema: { $id: 'root_team' },
    required: true,
    disabled: false,
    readonly: false,
    rawErrors: [],
    registry: {} as any,
  } as unknown as Props;
}

describe('TeamPickerField', () => {
  it("offers the signed-in user's groups only and stores the group ref", async () => {
    const onChange = jest.fn();
    await renderWithApp(
      <TeamPickerField {...fieldProps(undefined, onChange)} />,
      {
        ownershipEntityRefs: [
          'user:default/lead',
          'group:default/team-a',
          'group:default/team-a-leads',
        ],
      },
    );
    await userEvent.click(screen.getByLabelText(/Owning team/));
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['team-a', 'team-a-leads']);
    await userEvent.click(screen.getByRole('option', { name: 'team-a-leads' }));
    expect(onChange).toHaveBeenLastCalledWith('group:default/team-a-leads');
  });

  it('chooses the only team of a member of one', async () => {
    const onChange = jest.fn();
    await renderWithApp(
      <TeamPickerField {...fieldProps(undefined, onChange)} />,
      {
        ownershipEntityRefs: ['user:default/dev', 'group:default/team-a'],
      },
    );
    await waitFor(() =>
      expect(onChange).toHaveBeenCalledWith('group:default/team-a'),
    );
  });

  it('says so when the user is in no team', async () => {
    await renderWithApp(<TeamPickerField {...fieldProps()} />, {
      ownershipEntityRefs: ['user:default/outsider'],
    });
    expect(
      await screen.findByText(/You are not a member of any team/),
    ).toBeInTheDocument();
  });
});
